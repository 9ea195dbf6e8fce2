package org.fingerpost.transport.finger.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.IO;
import org.fingerpost.transport.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection limits of one listener ({@link org.fingerpost.transport.finger.ConnectionLimits}):
 * Jetty tells it of every accepted socket ({@link SelectorManager.AcceptListener}, before a connection
 * exists) and of every close; it counts the open sockets in all and per client address and marks the
 * ones past a limit. On a port with a refusal text it is also the connector's first connection factory,
 * which gives a marked socket a {@link RefusingConnection} and every other socket the next protocol's
 * connection (finger, HTTP, or TLS); on a TLS port a marked socket is closed at once.
 *
 * <p>At most {@link #MAX_LINGERING_REFUSALS} refusals are being written at a time; past that a refused
 * socket is closed without its text, so that a flood of connects cannot hold more than that many extra
 * files.
 *
 * <p><b>Threads.</b> Called on the acceptor and selector threads; the counts are guarded by this
 * object's lock (held for a few map operations).
 */
public final class ConnectionGate extends AbstractConnectionFactory implements SelectorManager.AcceptListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
  /** Refused sockets kept open at a time to write their refusal and close gracefully. */
  public static final int MAX_LINGERING_REFUSALS = 64;

  private final String name;
  private final int maxConnections;
  private final int maxPerIp;
  private final byte[] refusal;
  /** The protocol refused sockets do not get: the connector's default before the gate was added. */
  private volatile String nextProtocol;
  private final Map<SelectableChannel, Entry> channels = new HashMap<>();
  private final Map<InetAddress, Integer> perIp = new HashMap<>();
  private int open;
  private int lingering;
  private final AtomicLong refusals = new AtomicLong();
  private final RateLimitedWarning warning = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);

  /** @param refusal written to a refused client before the close; null to close without a word */
  public ConnectionGate(String name, int maxConnections, int maxPerIp, byte[] refusal) {
    super("limits");
    this.name = name;
    this.maxConnections = maxConnections;
    this.maxPerIp = maxPerIp;
    this.refusal = refusal == null ? null : refusal.clone();
  }

  /** Listens to {@code connector}'s accepts and, with a refusal text, becomes its first factory. */
  public void install(ServerConnector connector) {
    connector.addBean(this);
    if (refusal != null) {
      nextProtocol = connector.getDefaultProtocol();
      connector.addFirstConnectionFactory(this);
    }
  }

  /** Connections refused since start. */
  public long refusals() {
    return refusals.get();
  }

  @Override
  public void onAccepting(SelectableChannel channel) {
    InetAddress ip = clientAddress(channel);
    String over;
    boolean close;
    synchronized (this) {
      over = overLimit(ip);
      if (over == null) {
        open++;
        if (ip != null) {
          perIp.merge(ip, 1, Integer::sum);
        }
        channels.put(channel, new Entry(ip, false));
        return;
      }
      close = refusal == null || lingering >= MAX_LINGERING_REFUSALS;
      if (!close) {
        lingering++;
        channels.put(channel, new Entry(ip, true));
      }
    }
    refusals.incrementAndGet();
    warning.warn(name + ": refused a connection from " + (ip == null ? "an unknown address" : ip.getHostAddress())
        + ": " + over);
    if (close) {
      IO.close(channel);
    }
  }

  /** Why a new connection from {@code ip} is one too many, or null. Under the lock. */
  private String overLimit(InetAddress ip) {
    if (maxConnections > 0 && open >= maxConnections) {
      return "max_connections (" + maxConnections + ") open";
    }
    if (maxPerIp > 0 && ip != null && perIp.getOrDefault(ip, 0) >= maxPerIp) {
      return "max_connections_per_ip (" + maxPerIp + ") open from that address";
    }
    return null;
  }

  @Override
  public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
    forget(channel);
  }

  @Override
  public void onClosed(SelectableChannel channel) {
    forget(channel);
  }

  private synchronized void forget(SelectableChannel channel) {
    Entry e = channels.remove(channel);
    if (e == null) {
      return;
    }
    if (e.refused) {
      lingering--;
      return;
    }
    open--;
    if (e.ip != null) {
      perIp.computeIfPresent(e.ip, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  private synchronized boolean refused(Object channel) {
    Entry e = channels.get(channel);
    return e != null && e.refused;
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    if (refused(endPoint.getTransport())) {
      return configure(new RefusingConnection(endPoint, connector.getExecutor(), refusal), connector, endPoint);
    }
    ConnectionFactory next = connector.getConnectionFactory(nextProtocol);
    return next.newConnection(connector, endPoint);
  }

  private static InetAddress clientAddress(SelectableChannel channel) {
    try {
      if (channel instanceof SocketChannel s && s.getRemoteAddress() instanceof InetSocketAddress a) {
        return a.getAddress();
      }
    } catch (IOException e) {
      LOG.debug("No remote address for {}", channel, e);
    }
    return null;
  }

  private record Entry(InetAddress ip, boolean refused) {}
}
