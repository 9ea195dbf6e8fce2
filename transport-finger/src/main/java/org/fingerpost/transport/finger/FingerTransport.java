package org.fingerpost.transport.finger;

import java.time.Duration;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.LogTransport;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;

/**
 * The built-in {@code finger} transport: plain-text finger to targets without TLS, through one
 * {@link FingerClient}. Found with {@link java.util.ServiceLoader} (listed in {@code
 * META-INF/services/org.fingerpost.transport.LogTransport}).
 *
 * <p>Settings read by {@link #start}: {@value #CONNECT_TIMEOUT_KEY} (milliseconds, default {@link
 * FingerClient#DEFAULT_CONNECT_TIMEOUT}) and {@value #BUFFER_BYTES_KEY} (bytes per stream, default
 * {@link FingerClient#DEFAULT_BUFFER_BYTES}).
 *
 * <p>Thread-safe; {@link #open} before {@link #start} or after {@link #close} reports an {@code
 * INTERNAL} error to the sink.
 */
public final class FingerTransport implements LogTransport {

  /** This transport's name in logs, metrics and settings. */
  public static final String NAME = "finger";

  /** Settings key: connect timeout in milliseconds. */
  public static final String CONNECT_TIMEOUT_KEY = "connect_timeout";

  /** Settings key: read buffer per stream in bytes. */
  public static final String BUFFER_BYTES_KEY = "buffer_bytes";

  private volatile FingerClient client;

  /** For {@link java.util.ServiceLoader}. */
  public FingerTransport() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supports(StreamTarget target) {
    return !target.tls();
  }

  @Override
  public synchronized void start(TransportSettings settings, TransportContext context) throws Exception {
    if (client != null) {
      throw new IllegalStateException("finger transport already started");
    }
    Duration connectTimeout = settings.getMillis(CONNECT_TIMEOUT_KEY, FingerClient.DEFAULT_CONNECT_TIMEOUT);
    int bufferBytes = settings.getInt(BUFFER_BYTES_KEY, FingerClient.DEFAULT_BUFFER_BYTES);
    FingerClient c = FingerClient.builder()
        .name("finger-transport")
        .connectTimeout(connectTimeout)
        .bufferBytes(bufferBytes)
        .build();
    c.start();
    client = c;
  }

  @Override
  public LogStream open(StreamTarget target, LogSink sink) {
    FingerClient c = client;
    if (c == null) {
      sink.onError(StreamException.internal("finger transport is not started", null));
      return LogStream.CLOSED;
    }
    return c.open(target, sink);
  }

  @Override
  public synchronized void close() {
    FingerClient c = client;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public String toString() {
    return "FingerTransport";
  }
}
