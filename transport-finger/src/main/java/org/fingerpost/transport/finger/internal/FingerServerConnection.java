package org.fingerpost.transport.finger.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.Scheduler;
import org.fingerpost.transport.finger.FingerProtocolException;
import org.fingerpost.transport.finger.FingerRequest;
import org.fingerpost.transport.finger.InvalidRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted finger connection: reads the request line (bounded in size and time, {@link
 * RequestLineReader}), hands the parsed request to the server's handler together with the
 * connection's {@link ServerExchange}, which the handler writes the log into and which owns the
 * exchange's life cycle and termination.
 *
 * <p><b>Reading.</b> Jetty calls {@link #onFillable} on a pool thread whenever the client sent
 * bytes; the request line may arrive in any number of pieces. After the request the connection keeps
 * reading (and discards what it reads) so that a client that goes away is noticed at once.
 *
 * <p><b>Idle time.</b> The endpoint's idle timeout (the connector's, see {@link
 * org.fingerpost.transport.finger.FingerServer.Builder#stalledClientTimeout}) only drops a client that
 * has not taken any byte of a pending write for that long. A stream with nothing to write (a quiet
 * build) never idles out; the request phase is bounded by the request deadline instead. An ending
 * exchange lowers the timeout to the close linger, counted from the end (not from the last I/O), so
 * its final message is written however quiet the connection was ({@link ServerExchange#endsOnIdle}).
 *
 * <p><b>Threads.</b> Jetty's callbacks arrive on its threads, the request deadline on the scheduler's;
 * the exchange serialises the state they change. Owned by the connector; the server closes it with
 * {@link #shutdown}.
 */
public final class FingerServerConnection extends AbstractConnection {
  private static final Logger LOG = LoggerFactory.getLogger(FingerServerConnection.class);

  private final ServerSettings settings;
  private final Scheduler scheduler;
  private final String remoteAddress;
  private final RequestLineReader request;
  private final ServerExchange exchange;

  public FingerServerConnection(EndPoint endPoint, Executor executor, Scheduler scheduler,
      ServerSettings settings) {
    super(endPoint, executor);
    this.settings = settings;
    this.scheduler = scheduler;
    this.remoteAddress = Addresses.format(endPoint.getRemoteSocketAddress());
    this.request = new RequestLineReader(settings.maxLineBytes);
    this.exchange = new ServerExchange(endPoint, settings, remoteAddress);
  }

  @Override
  public void onOpen() {
    super.onOpen();
    settings.connections.add(this);
    exchange.armDeadline(() -> scheduler.schedule(this::onRequestTimeout,
        settings.requestTimeout.toNanos(), TimeUnit.NANOSECONDS));
    fillInterested();
  }

  @Override
  public void onFillable() {
    try {
      while (true) {
        ExchangePhase p = exchange.phase();
        if (p == ExchangePhase.CLOSED) {
          return;
        }
        int filled;
        if (p == ExchangePhase.REQUEST) {
          filled = getEndPoint().fill(request.buffer());
          if (filled > 0) {
            scanRequest();
            continue;
          }
        } else {
          // After the request line: whatever the client sends is not for us.
          request.clear();
          filled = getEndPoint().fill(request.buffer());
          if (filled > 0) {
            continue;
          }
        }
        if (filled == 0) {
          fillInterested();
        } else {
          exchange.clientGone();
        }
        return;
      }
    } catch (Throwable x) {
      exchange.abort(x, "reading from the client failed");
    }
  }

  private void scanRequest() {
    byte[] line = request.scan();
    if (line != null) {
      onRequestLine(line);
    } else if (request.full()) {
      reject(InvalidRequest.LINE_TOO_LONG, settings.requestErrorMessage,
          "no newline within " + settings.maxLineBytes + " bytes");
    }
  }

  private void onRequestLine(byte[] line) {
    FingerRequest parsed;
    try {
      parsed = FingerRequest.parse(new String(line, StandardCharsets.UTF_8));
    } catch (FingerProtocolException e) {
      reject(InvalidRequest.INVALID_BUILD_ID, e.wireMessage().getBytes(StandardCharsets.UTF_8),
          e.wireMessage());
      return;
    }
    if (!exchange.startStreaming()) {
      return; // the deadline won the race
    }
    LOG.debug("{}: {} requested build {}", settings.name, remoteAddress, parsed.buildId());
    try {
      settings.handler.handle(parsed, exchange);
    } catch (Throwable x) {
      LOG.warn("{}: handler failed for build {} requested by {}", settings.name, parsed.buildId(),
          remoteAddress, x);
      exchange.terminate(settings.requestErrorMessage, false);
    }
  }

  private void onRequestTimeout() {
    reject(InvalidRequest.TIMEOUT, settings.requestErrorMessage,
        "no complete request line within " + settings.requestTimeout.toMillis() + " ms");
  }

  private void reject(InvalidRequest reason, byte[] message, String why) {
    if (!exchange.terminate(message, true)) {
      return;
    }
    LOG.debug("{}: invalid request from {} ({}): {}", settings.name, remoteAddress, reason, why);
    if (settings.onInvalidRequest != null) {
      try {
        settings.onInvalidRequest.accept(reason);
      } catch (Throwable x) {
        LOG.warn("{}: invalid-request hook failed", settings.name, x);
      }
    }
  }

  @Override
  public void onClose(Throwable cause) {
    exchange.closed();
    settings.connections.remove(this);
    super.onClose(cause);
  }

  @Override
  public boolean onIdleExpired(TimeoutException timeout) {
    if (!exchange.endsOnIdle()) {
      return false;
    }
    if (exchange.phase() == ExchangePhase.STREAMING) {
      LOG.info("{}: dropping client {}: it accepted no byte for {} ms", settings.name, remoteAddress,
          getEndPoint().getIdleTimeout());
    }
    exchange.abort(timeout, "idle timeout");
    return false;
  }

  @Override
  public void onFillInterestedFailed(Throwable cause) {
    exchange.abort(cause, "reading from the client failed");
  }

  /** Called by the server when it stops. */
  public void shutdown() {
    exchange.abort(null, "server stopping");
  }

  @Override
  public String toConnectionString() {
    return String.format("%s@%x[%s,%s]", getClass().getSimpleName(), hashCode(), remoteAddress,
        exchange.phase());
  }
}
