package org.fingerpost.gateway;

import java.util.Locale;
import java.util.function.Predicate;
import org.fingerpost.transport.StreamTarget;

/**
 * Whether a registry endpoint is this gateway's own finger address, so that the stream front never
 * routes to it (a {@code fingergw} entry or a {@code worker_info} pointing back at the gateway would
 * loop: each hop asks itself again). Matches, without a DNS lookup (it runs on lookup threads for every
 * request): the registered hostname with the public or bound port; the listen address with the bound
 * port; and a loopback name or literal with the bound port when the gateway listens on loopback or on
 * every address. A name that merely resolves to this host is not caught here.
 *
 * <p>Thread-safe: the bound port is set once, after the listener started.
 */
final class SelfAddress implements Predicate<StreamTarget.Endpoint> {
  private final String hostname;
  private final String listenAddress;
  private final Integer publicPort;
  private volatile int boundPort = -1;

  SelfAddress(String hostname, String listenAddress, Integer publicPort) {
    this.hostname = normal(hostname);
    this.listenAddress = normal(listenAddress);
    this.publicPort = publicPort;
  }

  /** The port the listener is bound to (known only once it started, for port 0). */
  void bound(int port) {
    this.boundPort = port;
  }

  @Override
  public boolean test(StreamTarget.Endpoint e) {
    String host = normal(e.host());
    int port = e.port();
    boolean bound = port == boundPort;
    if (host.equals(hostname) && (bound || (publicPort != null && port == publicPort))) {
      return true;
    }
    if (!bound) {
      return false;
    }
    return host.equals(listenAddress) || (isLoopback(host) && (isWildcard(listenAddress) || isLoopback(listenAddress)));
  }

  private static String normal(String host) {
    if (host == null) {
      return "";
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static boolean isWildcard(String host) {
    return host.isEmpty() || host.equals("::") || host.equals("0.0.0.0") || host.equals("*")
        || host.equals("0:0:0:0:0:0:0:0");
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
  }
}
