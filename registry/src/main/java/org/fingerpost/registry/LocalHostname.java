package org.fingerpost.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's name as other hosts reach it: the default of every {@code hostname} setting, registered
 * in component nodes and build nodes.
 *
 * <p>Zuul registers {@code socket.getfqdn()}: the canonical name of the host. On many hosts
 * (containers, fresh VMs) that lookup answers {@code localhost}, because {@code /etc/hosts} maps the
 * host's own name to 127.0.0.1 after {@code localhost}; a component registered as {@code localhost}
 * is unreachable from every other host and makes each of them dial itself. So: the canonical name when
 * it is a real name, else the system's host name ({@code gethostname}), and {@code localhost} only when
 * the host knows no other name (logged). Operators set {@code hostname} where neither is right (NAT,
 * Kubernetes services). Stateless and thread-safe.
 */
public final class LocalHostname {
  private static final Logger LOG = LoggerFactory.getLogger(LocalHostname.class);

  private LocalHostname() {}

  /** This host's name, as described in the class comment; resolves names (may block briefly). */
  public static String canonical() {
    String hostName = null;
    String canonical = null;
    try {
      InetAddress local = InetAddress.getLocalHost();
      hostName = local.getHostName();
      canonical = local.getCanonicalHostName();
    } catch (UnknownHostException e) {
      LOG.debug("Cannot resolve this host's name: {}", e.getMessage());
    }
    String chosen = choose(hostName, canonical);
    if (isLoopbackName(chosen)) {
      LOG.warn("This host knows no name but '{}'; set 'hostname' so that other hosts can reach it", chosen);
    }
    return chosen;
  }

  /**
   * The choice of {@link #canonical()} from the system's host name and the canonical name of its
   * address (either may be null).
   */
  static String choose(String hostName, String canonical) {
    if (isUsable(canonical)) {
      return canonical;
    }
    if (isUsable(hostName)) {
      return hostName;
    }
    return "localhost";
  }

  private static boolean isUsable(String name) {
    return name != null && !name.isBlank() && !isLoopbackName(name) && !isAddressLiteral(name);
  }

  /** {@code localhost}, {@code localhost.localdomain}, {@code ip6-localhost} and the like. */
  static boolean isLoopbackName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.equals("localhost") || n.startsWith("localhost.") || n.startsWith("localhost6")
        || n.startsWith("ip6-localhost") || n.startsWith("ip6-loopback");
  }

  private static boolean isAddressLiteral(String name) {
    return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }
}
