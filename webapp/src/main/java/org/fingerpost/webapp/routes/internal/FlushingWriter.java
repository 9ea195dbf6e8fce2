package org.fingerpost.webapp.routes.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.channels.WritePendingException;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes a backend's response chunks to the client without blocking, each one flushed: Jetty's own
 * {@code AsyncProxyServlet} writer leaves chunks smaller than the container's aggregation buffer (8 KiB
 * on Jetty, the response buffer on Tomcat) waiting in that buffer, so a backend streaming one short
 * line a second would reach the client only kilobytes later. The next chunk is asked from the
 * backend only once this one is written (backpressure). One instance per response; its calls are
 * serialised by the proxy (the next chunk comes after the previous callback).
 */
final class FlushingWriter implements WriteListener {
  private enum State { IDLE, WRITE, FLUSH, DONE }

  private final HttpServletRequest request;
  private final Response proxyResponse;
  private State state = State.IDLE;
  private byte[] buffer;
  private int offset;
  private int length;
  private Callback callback;

  FlushingWriter(HttpServletRequest request, Response proxyResponse) {
    this.request = request;
    this.proxyResponse = proxyResponse;
  }

  /** The next chunk; {@code callback} completes once it is written and flushed. */
  void data(byte[] bytes, int offset, int length, Callback callback) {
    if (state != State.IDLE) {
      throw new WritePendingException();
    }
    this.buffer = bytes;
    this.offset = offset;
    this.length = length;
    this.callback = callback;
    this.state = State.WRITE;
  }

  @Override
  public void onWritePossible() throws IOException {
    ServletOutputStream out = request.getAsyncContext().getResponse().getOutputStream();
    while (true) {
      switch (state) {
        case WRITE -> {
          out.write(buffer, offset, length);
          state = State.FLUSH;
          if (!out.isReady()) {
            return;
          }
        }
        case FLUSH -> {
          out.flush();
          state = State.DONE;
          if (!out.isReady()) {
            return;
          }
        }
        case DONE -> {
          Callback c = callback;
          buffer = null;
          callback = null;
          state = State.IDLE; // before the callback, which may hand over the next chunk at once
          c.succeeded();
          return;
        }
        default -> {
          return;
        }
      }
    }
  }

  @Override
  public void onError(Throwable failure) {
    Callback c = callback;
    callback = null;
    if (c != null) {
      c.failed(failure);
    }
    proxyResponse.abort(failure);
  }
}
