package org.fingerpost.transport.finger.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.fingerpost.transport.finger.FingerServer;

/**
 * A connection refused by its listener's {@link ConnectionGate}: writes the refusal text, shuts its
 * output and waits for the client to close its side (reading and dropping what it sends), at most
 * {@link FingerServer#CLOSE_LINGER}, so that the text is not lost to a reset: closing a socket with
 * unread input makes the kernel send RST, which can overtake the text at the client. Thread-safe as
 * Jetty's connections are (its callbacks are serialised by the endpoint).
 */
final class RefusingConnection extends AbstractConnection {
  private static final int DRAIN_BYTES = 1024;

  private final byte[] refusal;

  RefusingConnection(EndPoint endPoint, Executor executor, byte[] refusal) {
    super(endPoint, executor);
    this.refusal = refusal;
  }

  @Override
  public void onOpen() {
    super.onOpen();
    getEndPoint().setIdleTimeout(FingerServer.CLOSE_LINGER.toMillis());
    getEndPoint().write(Callback.from(this::written, x -> close()), ByteBuffer.wrap(refusal));
  }

  private void written() {
    getEndPoint().shutdownOutput();
    fillInterested();
  }

  @Override
  public void onFillable() {
    ByteBuffer drain = BufferUtil.allocate(DRAIN_BYTES);
    try {
      while (true) {
        BufferUtil.clear(drain);
        int n = getEndPoint().fill(drain);
        if (n == 0) {
          fillInterested();
          return;
        }
        if (n < 0) {
          close();
          return;
        }
      }
    } catch (Exception e) {
      close();
    }
  }

  @Override
  public boolean onIdleExpired(TimeoutException timeout) {
    return true;
  }
}
