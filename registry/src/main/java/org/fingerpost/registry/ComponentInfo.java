package org.fingerpost.registry;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fingerpost.registry.internal.Json;

/**
 * The JSON body of one component node, {@code <root>/components/<kind>/<hostname>-<seq>}, with Zuul's
 * keys: {@code kind}, {@code hostname}, {@code state}, {@code version}, {@code zone}, {@code
 * public_port}, {@code use_ssl}. Null fields are left out of the JSON; keys this class does not know
 * (Zuul's {@code accepting_work}, a {@code capabilities} list, ...) are kept in {@link #extra()} and
 * written back unchanged, so a read-modify-write never loses another writer's data.
 *
 * <p>Immutable and thread-safe; {@link #withState} and {@link #toBuilder()} make changed copies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"kind", "hostname", "state", "version", "zone", "public_port", "use_ssl"})
@JsonAutoDetect(fieldVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
    creatorVisibility = Visibility.NONE)
public final class ComponentInfo {
  /** The extra key under which a component advertises protocol extensions (a JSON list of strings). */
  public static final String CAPABILITIES = "capabilities";

  @JsonProperty("kind")
  private final String kind;
  @JsonProperty("hostname")
  private final String hostname;
  @JsonProperty("state")
  private final ComponentState state;
  @JsonProperty("version")
  private final String version;
  @JsonProperty("zone")
  private final String zone;
  @JsonProperty("public_port")
  private final Integer publicPort;
  @JsonProperty("use_ssl")
  private final Boolean useSsl;
  /** Unknown keys; filled by the constructor or, during JSON reading only, by {@link #readExtra}. */
  private final Map<String, Object> extra;

  /**
   * A component entry; {@code kind} and {@code hostname} are required, every other value may be null
   * (left out of the JSON).
   */
  @JsonCreator
  public ComponentInfo(@JsonProperty("kind") String kind, @JsonProperty("hostname") String hostname,
      @JsonProperty("state") ComponentState state, @JsonProperty("version") String version,
      @JsonProperty("zone") String zone, @JsonProperty("public_port") Integer publicPort,
      @JsonProperty("use_ssl") Boolean useSsl) {
    this(kind, hostname, state, version, zone, publicPort, useSsl, Map.of());
  }

  private ComponentInfo(String kind, String hostname, ComponentState state, String version, String zone,
      Integer publicPort, Boolean useSsl, Map<String, Object> extra) {
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("component kind is required");
    }
    if (hostname == null || hostname.isBlank()) {
      throw new IllegalArgumentException("component hostname is required");
    }
    this.kind = kind;
    this.hostname = hostname;
    this.state = state;
    this.version = version;
    this.zone = zone;
    this.publicPort = publicPort;
    this.useSsl = useSsl;
    this.extra = new LinkedHashMap<>(extra);
  }

  /** A builder for a component of {@code kind} on {@code hostname}, state {@code initializing}. */
  public static Builder builder(String kind, String hostname) {
    return new Builder(kind, hostname);
  }

  /**
   * Parses a component node's JSON.
   *
   * @throws IOException for bad JSON, a missing {@code kind} or {@code hostname}, or an unknown state
   */
  public static ComponentInfo fromJson(byte[] json) throws IOException {
    try {
      return Json.read(json, ComponentInfo.class);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The node's JSON body, UTF-8. */
  public byte[] toJson() {
    return Json.write(this);
  }

  @JsonAnySetter
  private void readExtra(String key, Object value) {
    extra.put(key, value);
  }

  @JsonAnyGetter
  private Map<String, Object> writeExtra() {
    return extra;
  }

  public String kind() {
    return kind;
  }

  public String hostname() {
    return hostname;
  }

  /** The state, or null when the node has none. */
  public ComponentState state() {
    return state;
  }

  public String version() {
    return version;
  }

  /** The zone, or null when unzoned. */
  public String zone() {
    return zone;
  }

  /** The port clients connect to ({@code public_port}), or null when not advertised. */
  public Integer publicPort() {
    return publicPort;
  }

  /** Whether the public port speaks TLS ({@code use_ssl}); false when absent. */
  public boolean useSsl() {
    return Boolean.TRUE.equals(useSsl);
  }

  /** {@code use_ssl} as stored: null when the node has no such key. */
  public Boolean useSslValue() {
    return useSsl;
  }

  public boolean isRunning() {
    return state == ComponentState.RUNNING;
  }

  /** The keys this class does not model, as Jackson read them (strings, numbers, lists, maps). */
  public Map<String, Object> extra() {
    return Collections.unmodifiableMap(extra);
  }

  /**
   * The advertised protocol extensions: the strings of the {@value #CAPABILITIES} list, empty when
   * there is none (or it is not a list).
   */
  public Set<String> capabilities() {
    Object value = extra.get(CAPABILITIES);
    if (!(value instanceof Collection)) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object o : (Collection<?>) value) {
      if (o != null) {
        out.add(o.toString());
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * Every non-null key of the entry as a string (numbers and booleans in JSON spelling, lists and
   * objects as JSON text): what a {@code StreamTarget} carries as attributes for a gateway route.
   */
  public Map<String, String> attributes() {
    return Collections.unmodifiableMap(Json.strings(Json.toTree(this)));
  }

  /** A copy with {@code state} replaced. */
  public ComponentInfo withState(ComponentState state) {
    return new ComponentInfo(kind, hostname, state, version, zone, publicPort, useSsl, extra);
  }

  public Builder toBuilder() {
    Builder b = new Builder(kind, hostname)
        .state(state)
        .version(version)
        .zone(zone)
        .publicPort(publicPort)
        .useSsl(useSsl);
    b.extra.putAll(extra);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ComponentInfo)) {
      return false;
    }
    ComponentInfo c = (ComponentInfo) o;
    return kind.equals(c.kind) && hostname.equals(c.hostname) && state == c.state
        && Objects.equals(version, c.version) && Objects.equals(zone, c.zone)
        && Objects.equals(publicPort, c.publicPort) && Objects.equals(useSsl, c.useSsl)
        && extra.equals(c.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, hostname, state, version, zone, publicPort, useSsl, extra);
  }

  @Override
  public String toString() {
    return new String(toJson(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Builds a {@link ComponentInfo}. Not thread-safe. */
  public static final class Builder {
    private final String kind;
    private final String hostname;
    private ComponentState state = ComponentState.INITIALIZING;
    private String version;
    private String zone;
    private Integer publicPort;
    private Boolean useSsl;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    private Builder(String kind, String hostname) {
      this.kind = kind;
      this.hostname = hostname;
    }

    public Builder state(ComponentState state) {
      this.state = state;
      return this;
    }

    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** The zone; null or blank for unzoned. */
    public Builder zone(String zone) {
      this.zone = zone == null || zone.isBlank() ? null : zone;
      return this;
    }

    public Builder publicPort(Integer publicPort) {
      this.publicPort = publicPort;
      return this;
    }

    public Builder useSsl(Boolean useSsl) {
      this.useSsl = useSsl;
      return this;
    }

    /** Advertises protocol extensions ({@value ComponentInfo#CAPABILITIES}); empty removes the key. */
    public Builder capabilities(Collection<String> capabilities) {
      if (capabilities.isEmpty()) {
        extra.remove(CAPABILITIES);
      } else {
        extra.put(CAPABILITIES, java.util.List.copyOf(capabilities));
      }
      return this;
    }

    /**
     * Sets an extra key; {@code value} must be JSON-serialisable (string, number, boolean, list, map).
     * A null value removes the key.
     */
    public Builder extra(String key, Object value) {
      if (value == null) {
        extra.remove(key);
      } else {
        extra.put(Objects.requireNonNull(key, "key"), value);
      }
      return this;
    }

    /** @throws IllegalArgumentException when {@code kind} or {@code hostname} is blank */
    public ComponentInfo build() {
      return new ComponentInfo(kind, hostname, state, version, zone, publicPort, useSsl, extra);
    }
  }
}
