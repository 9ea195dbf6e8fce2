package org.fingerpost.webapp.internal;

import jakarta.websocket.CloseReason;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.fingerpost.webapp.WebServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One console-stream websocket on Jetty's core websocket, the embedded server's ({@link
 * ConsoleUpgrade}): hands the client's text to its {@link ConsoleSession} as the Jakarta endpoint's
 * partial-message handler would (UTF-8 checked, an invalid message closes 1007), answers pings, ignores
 * binary messages, and sends text and pings for it. Keeps no part of the upgrade request once open, and
 * no decoder between messages, so an idle websocket holds only Jetty's connection, session and the
 * stream: what lets one node hold many idle viewers (docs/benchmarks.md).
 *
 * <p><b>Threads.</b> Frames come from Jetty serially, one at a time (demand is asked for once a
 * frame was handled); the {@link ConsoleSocket} methods from any thread.
 */
final class CoreConsoleSocket implements FrameHandler, ConsoleSocket {
  private static final Logger LOG = LoggerFactory.getLogger(CoreConsoleSocket.class);

  private final ConsoleSession console;
  private final ConsoleUpgrade.OpenSockets open;
  private CoreSession session;
  /** The text message being received (between its first and last frame), else null. */
  private Utf8StringBuilder text;
  /** Whether the data message being received is binary (its continuations are dropped). */
  private boolean binary;

  /**
   * @param client the client's address without port, or null
   * @param bearer the upgrade's bearer token, or null
   * @param open where the node's open sockets are kept, to close them when the server stops
   */
  CoreConsoleSocket(WebServices services, ConsoleFanout fanout, String tenant, String client, String bearer,
      ConsoleUpgrade.OpenSockets open) {
    this.console = new ConsoleSession(services, fanout, this, tenant, client, bearer);
    this.open = open;
  }

  @Override
  public void onOpen(CoreSession coreSession, Callback callback) {
    session = coreSession;
    session.setIdleTimeout(console.opened());
    open.add(this);
    callback.succeeded();
    session.demand();
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    switch (frame.getOpCode()) {
      case OpCode.TEXT -> {
        binary = false;
        onText(frame, callback);
      }
      case OpCode.CONTINUATION -> {
        if (binary) {
          handled(callback);
        } else {
          onText(frame, callback);
        }
      }
      case OpCode.BINARY -> {
        binary = !frame.isFin();
        handled(callback);
      }
      case OpCode.PING -> session.sendFrame(new Frame(OpCode.PONG).setPayload(frame.getPayload()),
          // A pong that cannot go out (the output already closed) changes nothing.
          Callback.from(() -> handled(callback), x -> handled(callback)), false);
      case OpCode.CLOSE -> callback.succeeded(); // Jetty answers it and then calls onClosed
      default -> handled(callback); // PONG
    }
  }

  private void onText(Frame frame, Callback callback) {
    try {
      if (text == null) {
        text = new Utf8StringBuilder(frame.getPayloadLength());
      }
      text.append(frame.getPayload());
      String part = frame.isFin() ? text.takeCompleteString(BadPayloadException.InvalidUtf8::new)
          : text.takePartialString(BadPayloadException.InvalidUtf8::new);
      if (frame.isFin()) {
        text = null;
      }
      console.onText(part, frame.isFin());
    } catch (RuntimeException e) {
      text = null;
      callback.failed(e); // Jetty closes: 1007 for invalid UTF-8, else 1011
      return;
    }
    handled(callback);
  }

  private void handled(Callback callback) {
    callback.succeeded();
    session.demand();
  }

  @Override
  public void onError(Throwable cause, Callback callback) {
    LOG.debug("Websocket error: {}", cause.toString());
    console.gone();
    callback.succeeded();
  }

  @Override
  public void onClosed(CloseStatus closeStatus, Callback callback) {
    open.remove(this);
    console.closed();
    callback.succeeded();
  }

  @Override
  public void sendText(TextQueue.Message message, Consumer<Throwable> done) {
    // The payload is a view of the piece's UTF-8, encoded once for every websocket that sends it.
    Frame frame = new Frame(OpCode.TEXT, true, ByteBuffer.wrap(message.utf8()));
    session.sendFrame(frame, Callback.from(() -> done.accept(null), done::accept), false);
  }

  @Override
  public void sendPing() {
    session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
  }

  @Override
  public void close(CloseReason reason) {
    session.close(reason.getCloseCode().getCode(), reason.getReasonPhrase(), Callback.NOOP);
  }
}
