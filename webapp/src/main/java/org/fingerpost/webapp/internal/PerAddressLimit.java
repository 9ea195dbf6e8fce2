package org.fingerpost.webapp.internal;

import java.net.InetAddress;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.IO;
import org.fingerpost.transport.ConnectionCounts;
import org.fingerpost.transport.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web port's limit of open connections per client address (docs/operations.md "Connection
 * limits"), on Jetty's accept hook: a socket from an address that already has the maximum open is
 * closed as soon as it is accepted, as Jetty's own {@code NetworkConnectionLimit} closes the sockets
 * past its limit (the total is that class's job). The counting is the SPI's {@link ConnectionCounts},
 * which the finger listeners' limits share. A bean of the connector, added before it starts.
 *
 * <p><b>Threads.</b> Called on the acceptor and selector threads; the counts guard themselves.
 */
public final class PerAddressLimit implements SelectorManager.AcceptListener {
  private static final Logger LOG = LoggerFactory.getLogger(PerAddressLimit.class);

  private final ConnectionCounts counts;
  private final AtomicLong refusals = new AtomicLong();
  private final RateLimitedWarning warning = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);

  /** @param max open connections per client address, at least 1 */
  public PerAddressLimit(int max) {
    this.counts = new ConnectionCounts(0, max);
  }

  /** Connections closed for the limit since start. */
  public long refusals() {
    return refusals.get();
  }

  @Override
  public void onAccepting(SelectableChannel channel) {
    InetAddress ip = ConnectionCounts.clientAddress(channel);
    if (ip == null) {
      return;
    }
    String over = counts.admit(channel, ip);
    if (over == null) {
      return;
    }
    refusals.incrementAndGet();
    warning.warn("web: closed a connection from " + ip.getHostAddress() + ": " + over);
    IO.close(channel);
  }

  @Override
  public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
    counts.release(channel);
  }

  @Override
  public void onClosed(SelectableChannel channel) {
    counts.release(channel);
  }
}
