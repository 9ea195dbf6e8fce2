package org.fingerpost.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The open connections of one listening port, in all and per client address, held against that port's
 * two limits (docs/operations.md "Connection limits"). The one count behind the finger listeners'
 * {@code max_connections} and {@code max_connections_per_ip} (transport-finger) and the web port's
 * {@code max_connections_per_ip} (webapp): those modules meet only here, in the module below both, as
 * {@link RateLimitedWarning} does. What to do with a connection past a limit (write a refusal, close it)
 * stays with the caller.
 *
 * <p>The caller {@link #admit admits} a connection when its socket is accepted and {@link #release
 * releases} it when the socket closes, under a key of its choice (the accepted channel) that it passes
 * to both; a connection from an address that cannot be read ({@code null}) counts toward the total only.
 *
 * <p><b>Threads.</b> Thread-safe: called on any thread (Jetty's acceptor and selector threads); the
 * counts are guarded by this object's lock, held for a few map operations, never for I/O.
 *
 * <p><b>Ownership.</b> Keeps each admitted key until its release and nothing else; never closes a
 * channel. <b>Errors.</b> Throws none: a refusal is a return value, an unknown key a {@code false}.
 */
public final class ConnectionCounts {
  private static final Logger LOG = Logger.getLogger(ConnectionCounts.class.getName());

  private final int maxConnections;
  private final int maxPerAddress;
  /** The admitted connections' keys and their client addresses (null when unknown). */
  private final Map<Object, InetAddress> admitted = new HashMap<>();
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();

  /**
   * @param maxConnections open connections in all; 0 or less for no limit
   * @param maxPerAddress open connections from one client address; 0 or less for no limit
   */
  public ConnectionCounts(int maxConnections, int maxPerAddress) {
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Counts the connection {@code key} from {@code address} unless it would pass a limit.
   *
   * @param key identifies the connection until {@link #release}, by {@code equals} (the channel)
   * @param address the client's address; null when unknown (then only the total applies)
   * @return null when counted; else which limit it would pass, for the caller's log line, for example
   *     {@code max_connections_per_ip (1024) open from that address}
   */
  public synchronized String admit(Object key, InetAddress address) {
    if (maxConnections > 0 && admitted.size() >= maxConnections) {
      return "max_connections (" + maxConnections + ") open";
    }
    if (maxPerAddress > 0 && address != null && perAddress.getOrDefault(address, 0) >= maxPerAddress) {
      return "max_connections_per_ip (" + maxPerAddress + ") open from that address";
    }
    admitted.put(key, address);
    if (address != null) {
      perAddress.merge(address, 1, Integer::sum);
    }
    return null;
  }

  /**
   * Forgets the connection {@code key} (closed, or its accept failed).
   *
   * @return whether it was counted: false for a key never admitted (a refused one) or released already
   */
  public synchronized boolean release(Object key) {
    if (!admitted.containsKey(key)) {
      return false;
    }
    InetAddress address = admitted.remove(key);
    if (address != null) {
      perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }
    return true;
  }

  /** Connections counted now. */
  public synchronized int open() {
    return admitted.size();
  }

  /** Connections counted now from {@code address}. */
  public synchronized int open(InetAddress address) {
    return perAddress.getOrDefault(address, 0);
  }

  /** The client address of an accepted socket; null for another channel or when it cannot be read. */
  public static InetAddress clientAddress(Channel channel) {
    try {
      if (channel instanceof SocketChannel s && s.getRemoteAddress() instanceof InetSocketAddress a) {
        return a.getAddress();
      }
    } catch (IOException e) {
      // A socket reset between accept and this call: count it toward the total only.
      LOG.log(Level.FINE, "No remote address for " + channel, e);
    }
    return null;
  }
}
