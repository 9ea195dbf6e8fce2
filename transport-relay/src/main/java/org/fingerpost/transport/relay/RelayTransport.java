package org.fingerpost.transport.relay;

import java.util.ArrayList;
import java.util.List;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.LogTransport;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.relay.internal.FailoverStream;

/**
 * The {@code relay} transport: opens a build whose executor is in another zone through a gateway of
 * that zone ({@link StreamTarget.Route#GATEWAY} targets), with failover.
 *
 * <p>Each hop is delegated through the {@link TransportContext} to the transport that supports it
 * (plain {@code finger}, or {@code tls} when the gateway advertises {@code use_ssl}). When a hop cannot
 * be connected or closes before its first byte (a gateway that is stopping), the next candidate is tried: first the gateway the
 * routing rule chose, then the zone's other running gateways in the (random) order of {@link
 * StreamTarget#alternates()}, then the executor directly ({@link StreamTarget#fallback()}) with a
 * warning naming both zones. Once a byte has flowed, a failure is the stream's and is reported as is.
 *
 * <p>Priority {@link #PRIORITY}, above the built-ins, so it takes every gateway target. Thread-safe.
 * Reads no settings.
 */
public final class RelayTransport implements LogTransport {
  /** This transport's name in logs and metrics. */
  public static final String NAME = "relay";
  /** Above {@link LogTransport#BUILT_IN_PRIORITY}: gateway targets come here, not to finger or tls. */
  public static final int PRIORITY = BUILT_IN_PRIORITY + 10;

  private volatile TransportContext context;

  /** For {@link java.util.ServiceLoader}. */
  public RelayTransport() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public boolean supports(StreamTarget target) {
    return target.route() == StreamTarget.Route.GATEWAY;
  }

  @Override
  public void start(TransportSettings settings, TransportContext context) {
    this.context = context;
  }

  @Override
  public LogStream open(StreamTarget target, LogSink sink) {
    TransportContext c = context;
    if (c == null) {
      sink.onError(StreamException.internal("relay transport is not started", null));
      return LogStream.CLOSED;
    }
    return FailoverStream.start(c, hops(target), target.offset(), target.requesterZone(), sink);
  }

  /** The hops to try, in order: the chosen gateway, the zone's other gateways, the executor. */
  static List<StreamTarget> hops(StreamTarget target) {
    List<StreamTarget> hops = new ArrayList<>();
    // The chosen gateway itself, without the failover parts (they are for this transport only).
    hops.add(target.toBuilder().alternates(List.of()).fallback(null).requesterZone(null).build());
    for (StreamTarget.Endpoint e : target.alternates()) {
      hops.add(hop(target, e, StreamTarget.Route.GATEWAY));
    }
    target.fallback().ifPresent(e -> hops.add(hop(target, e, StreamTarget.Route.DIRECT_FALLBACK)));
    return hops;
  }

  /**
   * A failover hop: the endpoint with its own capabilities, asked for the target's offset when it takes
   * one (a hop that does not is opened from byte 0 and {@link FailoverStream} drops the bytes before the
   * offset, as {@link StreamTarget#offset()} requires).
   */
  private static StreamTarget hop(StreamTarget target, StreamTarget.Endpoint e, StreamTarget.Route route) {
    boolean offsets = e.capabilities().contains(StreamTarget.OFFSET_CAPABILITY);
    return StreamTarget.builder(target.buildId(), e.host(), e.port()).tls(e.tls()).route(route)
        .zone(target.zone()).capabilities(e.capabilities()).offset(offsets ? target.offset() : 0)
        .hops(target.hops()).build();
  }

  @Override
  public String toString() {
    return "RelayTransport";
  }
}
