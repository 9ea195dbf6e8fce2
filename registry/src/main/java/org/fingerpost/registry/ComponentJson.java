package org.fingerpost.registry;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import org.fingerpost.registry.internal.Json;
import org.fingerpost.registry.internal.ZuulComponentFields;

/**
 * A component node's JSON, as Zuul writes it: every key Zuul's own component class of that kind
 * carries ({@link ComponentInfo#ZUUL_FIELDS}, from {@code zuul/zk/components.py}), with Zuul's
 * default where the entry has no value ({@code "zone": null}, {@code "accepting_work": false}, ...),
 * and the keys sorted as Zuul's {@code json.dumps(..., sort_keys=True)} does; so Zuul's code reads our
 * nodes without surprises. Keys {@link ComponentInfo} does not model go to and come from its {@code
 * extra} map unchanged.
 *
 * <p>The mapping is a Jackson mix-in ({@link Mapping}), so that {@link ComponentInfo} stays a plain
 * value. Stateless; thread-safe (the mapper is configured once).
 */
final class ComponentJson {
  private static final ObjectMapper MAPPER = Json.mapperWith(ComponentInfo.class, Mapping.class);

  private ComponentJson() {}

  /** @throws IOException for bad JSON, a missing {@code kind} or {@code hostname}, or an unknown state */
  static ComponentInfo read(byte[] json) throws IOException {
    try {
      return MAPPER.readValue(json, ComponentInfo.class);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The node's body, UTF-8: Zuul's keys for the kind, sorted. */
  static byte[] write(ComponentInfo info) {
    ObjectNode tree = MAPPER.valueToTree(info);
    ZuulComponentFields.fillDefaults(info.kind(), tree);
    return Json.write(Json.sorted(tree));
  }

  /** Every non-null key as a string, as {@link ComponentInfo#attributes()} documents. */
  static Map<String, String> attributes(ComponentInfo info) {
    return Collections.unmodifiableMap(Json.strings(MAPPER.valueToTree(info)));
  }

  /** Zuul's key names for {@link ComponentInfo}'s fields and constructor; nothing else is detected. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"kind", "hostname", "state", "version", "model_api", "zone", "public_port", "use_ssl"})
  @JsonAutoDetect(fieldVisibility = Visibility.NONE, getterVisibility = Visibility.NONE,
      isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE,
      creatorVisibility = Visibility.NONE)
  abstract static class Mapping {
    @JsonProperty("kind")
    String kind;
    @JsonProperty("hostname")
    String hostname;
    @JsonProperty("state")
    ComponentState state;
    @JsonProperty("version")
    String version;
    @JsonProperty("model_api")
    Integer modelApi;
    @JsonProperty("zone")
    String zone;
    @JsonProperty("public_port")
    Integer publicPort;
    @JsonProperty("use_ssl")
    Boolean useSsl;
    @JsonAnySetter
    @JsonAnyGetter
    Map<String, Object> extra;

    @JsonCreator
    Mapping(@JsonProperty("kind") String kind, @JsonProperty("hostname") String hostname,
        @JsonProperty("state") ComponentState state, @JsonProperty("version") String version,
        @JsonProperty("model_api") Integer modelApi, @JsonProperty("zone") String zone,
        @JsonProperty("public_port") Integer publicPort, @JsonProperty("use_ssl") Boolean useSsl) {}
  }
}
