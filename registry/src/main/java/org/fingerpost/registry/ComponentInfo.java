package org.fingerpost.registry;

import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fingerpost.registry.internal.ExtraKeys;
import org.fingerpost.registry.internal.ZuulComponentFields;

/**
 * The JSON body of one component node, {@code <root>/components/<kind>/<hostname><seq>}, with Zuul's
 * keys: {@code kind}, {@code hostname}, {@code state}, {@code version}, {@code model_api}, {@code
 * zone}, {@code public_port}, {@code use_ssl}. Keys this class does not model (Zuul's {@code
 * accepting_work}, a {@code capabilities} list, ...) are kept in {@link #extra()} and written back
 * unchanged, so a read-modify-write never loses another writer's data.
 *
 * <p><b>Written as Zuul writes it.</b> {@link #toJson()} gives every key Zuul's own component class of
 * that kind carries ({@link #ZUUL_FIELDS}), with Zuul's defaults, keys sorted (the JSON side lives in
 * {@code ComponentJson}).
 *
 * <p>Immutable and thread-safe; {@link #withState} and {@link #toBuilder()} make changed copies.
 */
public final class ComponentInfo {
  /** The extra key under which a component advertises protocol extensions (a JSON list of strings). */
  public static final String CAPABILITIES = ExtraKeys.CAPABILITIES;
  /**
   * The extra key that marks a node as written by Fingerpost (its value: Fingerpost's version), so
   * that {@link ModelApi} follows Zuul's own components and never Fingerpost's.
   */
  public static final String FINGERPOST = "fingerpost";

  /**
   * The keys and defaults of Zuul's component classes ({@code BaseComponent} and its subclasses in
   * {@code zuul/zk/components.py}), by kind; {@code "*"} holds the keys every kind carries.
   */
  public static final Map<String, Map<String, Object>> ZUUL_FIELDS = ZuulComponentFields.BY_KIND;

  private final String kind;
  private final String hostname;
  private final ComponentState state;
  private final String version;
  private final Integer modelApi;
  private final String zone;
  private final Integer publicPort;
  private final Boolean useSsl;
  /** Unknown keys; filled by the constructor or, during JSON reading only, by {@code ComponentJson}. */
  private final Map<String, Object> extra;

  /**
   * A component entry; {@code kind} and {@code hostname} are required, every other value may be null
   * (left out of the JSON).
   */
  public ComponentInfo(String kind, String hostname, ComponentState state, String version, Integer modelApi,
      String zone, Integer publicPort, Boolean useSsl) {
    this(kind, hostname, state, version, modelApi, zone, publicPort, useSsl, Map.of());
  }

  private ComponentInfo(String kind, String hostname, ComponentState state, String version, Integer modelApi,
      String zone, Integer publicPort, Boolean useSsl, Map<String, Object> extra) {
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
    this.modelApi = modelApi;
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
    return ComponentJson.read(json);
  }

  /**
   * The node's JSON body, UTF-8, as Zuul writes it: keys sorted, every key of Zuul's class for this
   * kind present (see the class comment).
   */
  public byte[] toJson() {
    return ComponentJson.write(this);
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

  /**
   * The data-model version this component supports ({@code model_api}), or null when the node has
   * none (Zuul counts that as 0).
   */
  public Integer modelApi() {
    return modelApi;
  }

  /** Whether Fingerpost wrote this node (it carries the {@value #FINGERPOST} key). */
  public boolean isFingerpost() {
    return extra.containsKey(FINGERPOST);
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
    return ExtraKeys.capabilities(extra);
  }

  /**
   * Every non-null key of the entry as a string (numbers and booleans in JSON spelling, lists and
   * objects as JSON text): what a {@code StreamTarget} carries as attributes for a gateway route.
   */
  public Map<String, String> attributes() {
    return ComponentJson.attributes(this);
  }

  /** A copy with {@code state} replaced. */
  public ComponentInfo withState(ComponentState state) {
    return new ComponentInfo(kind, hostname, state, version, modelApi, zone, publicPort, useSsl, extra);
  }

  public Builder toBuilder() {
    Builder b = new Builder(kind, hostname)
        .state(state)
        .version(version)
        .modelApi(modelApi)
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
        && Objects.equals(version, c.version) && Objects.equals(modelApi, c.modelApi)
        && Objects.equals(zone, c.zone)
        && Objects.equals(publicPort, c.publicPort) && Objects.equals(useSsl, c.useSsl)
        && extra.equals(c.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, hostname, state, version, modelApi, zone, publicPort, useSsl, extra);
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
    private Integer modelApi;
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

    /** The data-model version ({@code model_api}); null leaves Zuul's default, 0. */
    public Builder modelApi(Integer modelApi) {
      this.modelApi = modelApi;
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
      ExtraKeys.putCapabilities(extra, capabilities);
      return this;
    }

    /**
     * Sets an extra key; {@code value} must be JSON-serialisable (string, number, boolean, list, map).
     * A null value removes the key.
     */
    public Builder extra(String key, Object value) {
      ExtraKeys.put(extra, key, value);
      return this;
    }

    /** @throws IllegalArgumentException when {@code kind} or {@code hostname} is blank */
    public ComponentInfo build() {
      return new ComponentInfo(kind, hostname, state, version, modelApi, zone, publicPort, useSsl, extra);
    }
  }
}
