package org.fingerpost.transport.relay;

import java.util.ArrayList;
import java.util.List;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.LogTransport;
import org.fingerpost.transport.RelayHints;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.relay.internal.FailoverStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code relay} transport: opens a build whose executor is in another zone through a gateway of
 * that zone ({@link StreamTarget.Route#GATEWAY} targets), with failover.
 *
 * <p>Each hop is delegated through the {@link TransportContext} to the transport that supports it
 * (plain {@code finger}, or {@code tls} when the gateway advertises {@code use_ssl}). When a hop cannot
 * be connected (it fails before its first byte), the next candidate is tried: first the gateway the
 * routing rule chose, then the zone's other running gateways in the (random) order of {@link
 * RelayHints#ALTERNATES}, then the executor directly ({@link RelayHints#FALLBACK}) with a warning
 * naming both zones. Once a byte has flowed, a failure is the stream's and is reported as is.
 *
 * <p>Priority {@link #PRIORITY}, above the built-ins, so it takes every gateway target. Thread-safe.
 * Reads no settings.
 */
public final class RelayTransport implements LogTransport {
  private static final Logger LOG = LoggerFactory.getLogger(RelayTransport.class);

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
    List<StreamTarget> hops;
    try {
      hops = hops(target);
    } catch (IllegalArgumentException e) {
      // The hints come from our own routing rule; a malformed one is a bug, not a reason to stop.
      LOG.warn("Ignoring malformed relay hints of {}: {}", target, e.getMessage());
      hops = List.of(plain(target));
    }
    return FailoverStream.start(c, hops, target.attributes().get(RelayHints.REQUESTER_ZONE), sink);
  }

  /** The hops to try, in order: the chosen gateway, the zone's other gateways, the executor. */
  static List<StreamTarget> hops(StreamTarget target) {
    List<StreamTarget> hops = new ArrayList<>();
    hops.add(plain(target));
    for (RelayHints.Endpoint e : RelayHints.decode(target.attributes().get(RelayHints.ALTERNATES))) {
      hops.add(StreamTarget.builder(target.buildId(), e.host(), e.port())
          .tls(e.tls()).route(StreamTarget.Route.GATEWAY).zone(target.zone()).build());
    }
    for (RelayHints.Endpoint e : RelayHints.decode(target.attributes().get(RelayHints.FALLBACK))) {
      hops.add(StreamTarget.builder(target.buildId(), e.host(), e.port())
          .tls(e.tls()).route(StreamTarget.Route.DIRECT_FALLBACK).zone(target.zone()).build());
    }
    return hops;
  }

  /** The chosen gateway itself, without the hints (they are for this transport only). */
  private static StreamTarget plain(StreamTarget target) {
    java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>(target.attributes());
    attributes.keySet().removeIf(k -> k.startsWith("fingerpost.relay."));
    return target.toBuilder().attributes(attributes).build();
  }

  @Override
  public String toString() {
    return "RelayTransport";
  }
}
