package org.fingerpost.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.fingerpost.transport.ForwardingLogSink;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;

/**
 * The counters of the resolve-and-open path, shared by gateway and web nodes (Prometheus names):
 * <ul>
 *   <li>{@code fingerpost_streams_opened_total{route}}: streams opened, by route ({@code direct},
 *       {@code gateway}, {@code direct_fallback}) — which hop a request took;
 *   <li>{@code fingerpost_streams_open}: streams open now;
 *   <li>{@code fingerpost_stream_bytes_total}: log bytes delivered to clients;
 *   <li>{@code fingerpost_stream_errors_total{kind}}: failures by wire kind ({@code build_not_found},
 *       {@code build_not_started}, {@code internal}).
 * </ul>
 *
 * <p>Thread-safe. Counting costs one counter update per chunk, never per byte.
 */
public final class StreamMetrics {

  private final Map<StreamTarget.Route, Counter> opened = new EnumMap<>(StreamTarget.Route.class);
  private final Map<StreamException.Kind, Counter> errors = new EnumMap<>(StreamException.Kind.class);
  private final Counter bytes;
  private final AtomicInteger open = new AtomicInteger();
  private final MeterRegistry registry;

  public StreamMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (StreamTarget.Route route : StreamTarget.Route.values()) {
      opened.put(route, Counter.builder("fingerpost.streams.opened")
          .description("Streams opened, by the route the routing rule chose")
          .tag("route", route.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry));
    }
    for (StreamException.Kind kind : StreamException.Kind.values()) {
      errors.put(kind, Counter.builder("fingerpost.stream.errors")
          .description("Streams that failed, by the kind of error the client saw")
          .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry));
    }
    bytes = Counter.builder("fingerpost.stream.bytes").baseUnit("bytes")
        .description("Log bytes delivered to clients").register(registry);
    registry.gauge("fingerpost.streams.open", open);
  }

  /** Metrics kept in memory only: for tests and callers without a monitoring endpoint. */
  public static StreamMetrics inMemory() {
    return new StreamMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Counts a failure that happened before any stream was opened. */
  void failed(StreamException e) {
    errors.get(e.kind()).increment();
  }

  /**
   * Opens a stream to {@code target} with {@code opener}, counting it, the bytes that flow into
   * {@code sink} and its end (normal, failed, or closed by its owner).
   */
  LogStream track(StreamTarget target, LogSink sink, Function<LogSink, LogStream> opener) {
    opened.get(target.route()).increment();
    open.incrementAndGet();
    CountingSink counting = new CountingSink(sink);
    LogStream stream = opener.apply(counting);
    return () -> {
      counting.end();
      stream.close();
    };
  }

  /** Streams opened so far by {@code route}. */
  public long openedCount(StreamTarget.Route route) {
    return (long) opened.get(route).count();
  }

  /** Failures so far of {@code kind}. */
  public long errorCount(StreamException.Kind kind) {
    return (long) errors.get(kind).count();
  }

  public int openStreams() {
    return open.get();
  }

  public long bytes() {
    return (long) bytes.count();
  }

  /** Counts bytes and the end of one stream; every call is passed on unchanged. */
  private final class CountingSink extends ForwardingLogSink {
    private final AtomicBoolean ended = new AtomicBoolean();

    CountingSink(LogSink delegate) {
      super(delegate);
    }

    @Override
    public void onData(ByteBuffer chunk, Runnable next) {
      bytes.increment(chunk.remaining());
      super.onData(chunk, next);
    }

    @Override
    public void onEnd() {
      end();
      super.onEnd();
    }

    @Override
    public void onError(StreamException error) {
      end();
      errors.get(error.kind()).increment();
      super.onError(error);
    }

    /** Once per stream, whether it ended, failed or was closed by its owner. */
    void end() {
      if (ended.compareAndSet(false, true)) {
        open.decrementAndGet();
      }
    }
  }
}
