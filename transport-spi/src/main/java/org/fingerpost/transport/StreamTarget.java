package org.fingerpost.transport;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where to open one build's log: the endpoint the routing rule chose from the registry, and what the
 * registry says about it. Immutable; build with {@link #builder(String, String, int)}.
 *
 * <p>Every endpoint in a target was read from the registry (a build's {@code worker_info} or a
 * gateway's component entry); nothing a client sent ever becomes a host or port here.
 *
 * <p>A {@link Route#GATEWAY} target also carries what a relay needs to fail over without reading the
 * registry itself: the zone's other running gateways ({@link #alternates()}), the executor's direct
 * endpoint ({@link #fallback()}) and the requesting node's zone ({@link #requesterZone()}).
 */
public final class StreamTarget {

  /** How the routing rule reached this endpoint (docs/design.md 3.4). */
  public enum Route {
    /** The executor itself: same zone as the requester, or unzoned. */
    DIRECT,
    /** The finger gateway of the executor's zone, which repeats the lookup locally. */
    GATEWAY,
    /** The executor itself although it is in another zone, because that zone has no gateway. */
    DIRECT_FALLBACK
  }

  /** The values, checked and copied once by {@link Builder#build()}. */
  private final TargetValues values;

  /**
   * One endpoint read from the registry: host, port, whether it speaks TLS, and the capabilities of
   * its registry entry (what a transport may ask of it: {@link #OFFSET_CAPABILITY}, {@link
   * #HOPS_CAPABILITY}). Immutable, so thread-safe.
   *
   * @param host a hostname or address; not blank
   * @param port 1 to 65535
   * @param tls whether the endpoint speaks finger over TLS
   * @param capabilities the {@code capabilities} of its registry entry; empty for a peer that lists none
   *     (Zuul's)
   */
  public record Endpoint(String host, int port, boolean tls, Set<String> capabilities) {
    /** @throws IllegalArgumentException for a blank host or a port out of range */
    public Endpoint {
      TargetValues.checkHost(host);
      TargetValues.checkPort(port);
      capabilities = Set.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
    }

    /** An endpoint without capabilities (a peer that advertises none, as Zuul's). */
    public Endpoint(String host, int port, boolean tls) {
      this(host, port, tls, Set.of());
    }

    @Override
    public String toString() {
      return TargetValues.uri(tls, host, port);
    }
  }

  /**
   * The capability of a peer that accepts a start offset ({@code <uuid>@<offset>}, docs/design.md 3.1),
   * listed in the {@code capabilities} of its registry entry.
   */
  public static final String OFFSET_CAPABILITY = "offset";
  /** The capability of a gateway that counts relay hops ({@code <uuid>+<hops>}, docs/operations.md "Hop limit"). */
  public static final String HOPS_CAPABILITY = "hops";

  private StreamTarget(TargetValues values) {
    this.values = values;
  }

  /**
   * A builder with the required parts. Defaults: plain (no TLS), route {@link Route#DIRECT}, no zone,
   * SNI name = host, no capabilities, no attributes, offset 0, no alternates, no fallback, no
   * requester zone.
   */
  public static Builder builder(String buildId, String host, int port) {
    return new Builder(buildId, host, port);
  }

  /** The build whose log is wanted; hex digits only (validated before any target is built). */
  public String buildId() {
    return values.buildId();
  }

  public String host() {
    return values.host();
  }

  public int port() {
    return values.port();
  }

  /** Whether the endpoint speaks TLS (the gateway's {@code use_ssl}, or TLS configured for executors). */
  public boolean tls() {
    return values.tls();
  }

  /** The name to send as TLS SNI and to verify the certificate against; defaults to {@link #host()}. */
  public String serverName() {
    return values.serverName();
  }

  public Route route() {
    return values.route();
  }

  /** The zone of the executor running the build, or null when it is unzoned. */
  public String zone() {
    return values.zone();
  }

  /** Protocol extensions the endpoint advertises in its registry entry (docs/design.md 3.1). */
  public Set<String> capabilities() {
    return values.capabilities();
  }

  /**
   * The endpoint's registry data as strings: the build's {@code worker_info} for direct routes, the
   * gateway's component entry for gateway routes. Plugins claim targets by keys of their own here
   * (for example {@code "transport": "ssh"} in {@code worker_info}).
   */
  public Map<String, String> attributes() {
    return values.attributes();
  }

  /**
   * The first byte of the log wanted; 0 (the default) for the whole log. Non-zero only when {@link
   * #capabilities()} contains {@link #OFFSET_CAPABILITY} (callers skip bytes themselves otherwise): a
   * transport opening such a target must ask the peer for the log from this byte, or, if it cannot,
   * drop this many bytes before the sink sees any.
   */
  public long offset() {
    return values.offset();
  }

  /** Relaying nodes the request passed, this one included (1, the default, at the first); sent to {@link #HOPS_CAPABILITY} peers. */
  public int hops() {
    return values.hops();
  }

  /**
   * For a {@link Route#GATEWAY} target: the other running gateways of the executor's zone, in the
   * order to try them when this target's gateway cannot be connected (the routing rule shuffles them).
   * Empty when there are none, and for other routes.
   */
  public List<Endpoint> alternates() {
    return values.alternates();
  }

  /**
   * For a {@link Route#GATEWAY} target: the executor itself ({@code worker_info.hostname:log_port},
   * TLS as its own registry entry says), the last resort when no gateway of its zone can be
   * connected. Empty for other routes, or when the registry's hostname is unusable.
   */
  public Optional<Endpoint> fallback() {
    return Optional.ofNullable(values.fallback());
  }

  /** For a {@link Route#GATEWAY} target: the zone of the node that resolved it; null when unzoned. */
  public String requesterZone() {
    return values.requesterZone();
  }

  public Builder toBuilder() {
    return new Builder(buildId(), host(), port())
        .tls(tls())
        .serverName(serverName())
        .route(route())
        .zone(zone())
        .capabilities(capabilities())
        .attributes(attributes())
        .offset(offset())
        .hops(hops())
        .alternates(alternates())
        .fallback(values.fallback())
        .requesterZone(requesterZone());
  }

  @Override
  public String toString() {
    return route() + " " + TargetValues.uri(tls(), host(), port()) + "/" + buildId()
        + (zone() != null ? " zone=" + zone() : "") + (offset() > 0 ? " offset=" + offset() : "");
  }

  /** Builds a {@link StreamTarget}; see {@link StreamTarget#builder} for the defaults. */
  public static final class Builder {
    private final String buildId;
    private final String host;
    private final int port;
    private boolean tls;
    private String serverName;
    private Route route = Route.DIRECT;
    private String zone;
    private Set<String> capabilities = Set.of();
    private Map<String, String> attributes = Map.of();
    private long offset;
    private int hops = 1;
    private List<Endpoint> alternates = List.of();
    private Endpoint fallback;
    private String requesterZone;

    private Builder(String buildId, String host, int port) {
      this.buildId = Objects.requireNonNull(buildId, "buildId");
      this.host = Objects.requireNonNull(host, "host");
      this.port = TargetValues.checkPort(port);
    }

    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    public Builder serverName(String serverName) {
      this.serverName = serverName;
      return this;
    }

    public Builder route(Route route) {
      this.route = Objects.requireNonNull(route, "route");
      return this;
    }

    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    public Builder capabilities(Set<String> capabilities) {
      this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
      return this;
    }

    public Builder attributes(Map<String, String> attributes) {
      this.attributes = Objects.requireNonNull(attributes, "attributes");
      return this;
    }

    /** See {@link StreamTarget#offset()}; at least 0. */
    public Builder offset(long offset) {
      this.offset = TargetValues.checkOffset(offset);
      return this;
    }

    /** See {@link StreamTarget#hops()}; at least 1. */
    public Builder hops(int hops) {
      this.hops = Math.max(1, hops);
      return this;
    }

    /** See {@link StreamTarget#alternates()}; in the order to try them. */
    public Builder alternates(List<Endpoint> alternates) {
      this.alternates = Objects.requireNonNull(alternates, "alternates");
      return this;
    }

    /** See {@link StreamTarget#fallback()}; null for none. */
    public Builder fallback(Endpoint fallback) {
      this.fallback = fallback;
      return this;
    }

    /** See {@link StreamTarget#requesterZone()}; null when unzoned. */
    public Builder requesterZone(String requesterZone) {
      this.requesterZone = requesterZone;
      return this;
    }

    /** @throws IllegalArgumentException for an offset on a target without {@link #OFFSET_CAPABILITY} */
    public StreamTarget build() {
      return new StreamTarget(new TargetValues(buildId, host, port, tls, serverName, route, zone, capabilities,
          attributes, offset, hops, alternates, fallback, requesterZone));
    }
  }
}
