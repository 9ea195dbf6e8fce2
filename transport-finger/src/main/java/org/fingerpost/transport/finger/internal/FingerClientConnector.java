package org.fingerpost.transport.finger.internal;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's {@link ClientConnector} with two changes the finger client needs:
 *
 * <ul>
 *   <li>TCP keepalive on every socket, so that an upstream that vanished without a reset is noticed
 *       even though quiet streams have no idle timeout;
 *   <li>endpoints that report a failed read (connection reset) as an exception instead of an end of
 *       stream: Jetty's {@link SocketChannelEndPoint#fill} turns both into {@code -1}, but for a log
 *       stream a reset is an error ({@code Internal streaming error}), not the end of the log.
 * </ul>
 */
public final class FingerClientConnector extends ClientConnector {
  private static final Logger LOG = LoggerFactory.getLogger(FingerClientConnector.class);

  @Override
  protected void configure(SelectableChannel channel) throws IOException {
    super.configure(channel);
    if (channel instanceof NetworkChannel) {
      try {
        ((NetworkChannel) channel).setOption(StandardSocketOptions.SO_KEEPALIVE, true);
      } catch (IOException | UnsupportedOperationException e) {
        LOG.trace("SO_KEEPALIVE not available", e);
      }
    }
  }

  @Override
  protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
    if (channel instanceof SocketChannel) {
      return new ResetReportingEndPoint((SocketChannel) channel, selector, key, getScheduler());
    }
    return super.newEndPoint(channel, selector, key);
  }

  /** A socket endpoint whose {@link #fill} throws on a read error instead of returning -1. */
  static final class ResetReportingEndPoint extends SocketChannelEndPoint {
    ResetReportingEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
      super(channel, selector, key, scheduler);
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
      if (isInputShutdown()) {
        return -1;
      }
      int pos = BufferUtil.flipToFill(buffer);
      try {
        int filled = getChannel().read(buffer);
        if (filled > 0) {
          notIdle();
        } else if (filled == -1) {
          shutdownInput();
        }
        return filled;
      } catch (IOException e) {
        shutdownInput();
        throw e;
      } finally {
        BufferUtil.flipToFlush(buffer, pos);
      }
    }
  }
}
