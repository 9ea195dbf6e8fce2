package org.fingerpost.webapp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.IO;
import org.fingerpost.transport.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web port's limit of open connections per client address (docs/operations.md "Connection
 * limits"), on Jetty's accept hook: a socket from an address that already has the maximum open is
 * closed as soon as it is accepted, as Jetty's own {@code NetworkConnectionLimit} closes the sockets
 * past its limit (the total is that class's job). A bean of the connector, added before it starts.
 *
 * <p><b>Threads.</b> Called on the acceptor and selector threads; the counts are guarded by this
 * object's lock (held for a few map operations).
 */
public final class PerAddressLimit implements SelectorManager.AcceptListener {
  private static final Logger LOG = LoggerFactory.getLogger(PerAddressLimit.class);

  private final int max;
  private final Map<SelectableChannel, InetAddress> channels = new HashMap<>();
  private final Map<InetAddress, Integer> open = new HashMap<>();
  private final AtomicLong refusals = new AtomicLong();
  private final RateLimitedWarning warning = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);

  /** @param max open connections per client address, at least 1 */
  public PerAddressLimit(int max) {
    this.max = max;
  }

  /** Connections closed for the limit since start. */
  public long refusals() {
    return refusals.get();
  }

  @Override
  public void onAccepting(SelectableChannel channel) {
    InetAddress ip = clientAddress(channel);
    if (ip == null) {
      return;
    }
    synchronized (this) {
      if (open.getOrDefault(ip, 0) < max) {
        open.merge(ip, 1, Integer::sum);
        channels.put(channel, ip);
        return;
      }
    }
    refusals.incrementAndGet();
    warning.warn("web: closed a connection from " + ip.getHostAddress() + ": max_connections_per_ip (" + max
        + ") open from that address");
    IO.close(channel);
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
    InetAddress ip = channels.remove(channel);
    if (ip != null) {
      open.computeIfPresent(ip, (k, n) -> n == 1 ? null : n - 1);
    }
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
}
