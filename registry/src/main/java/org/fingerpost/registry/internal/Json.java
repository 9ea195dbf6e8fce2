package org.fingerpost.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON mapper of the registry module (thread-safe once configured, so shared) and the small
 * conversions the registry nodes need. Not API.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Serialises a model object; the registry's own models never fail to serialise. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot serialise " + value.getClass().getName(), e);
    }
  }

  /**
   * A mapper configured as this one, with the Jackson mix-in {@code mixIn} for {@code target}: for a
   * model that keeps its JSON names out of its own class.
   */
  public static ObjectMapper mapperWith(Class<?> target, Class<?> mixIn) {
    return MAPPER.copy().addMixIn(target, mixIn);
  }

  public static <T> T read(byte[] json, Class<T> type) throws IOException {
    return MAPPER.readValue(json, type);
  }

  /** Parses a JSON document into a tree; bad JSON is an {@link IOException}. */
  public static JsonNode tree(byte[] json) throws IOException {
    if (json == null || json.length == 0) {
      throw new IOException("empty node");
    }
    return MAPPER.readTree(json);
  }

  public static JsonNode toTree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** A copy of {@code object} with its members in key order (Python's {@code sort_keys=True}). */
  public static ObjectNode sorted(ObjectNode object) {
    ObjectNode out = MAPPER.createObjectNode();
    java.util.TreeMap<String, JsonNode> byKey = new java.util.TreeMap<>();
    object.properties().forEach(e -> byKey.put(e.getKey(), e.getValue()));
    byKey.forEach(out::set);
    return out;
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * The members of a JSON object as strings: text as is, numbers and booleans in their JSON spelling,
   * arrays and objects as compact JSON text; null members are left out.
   */
  public static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String s = string(e.getValue());
      if (s != null) {
        out.put(e.getKey(), s);
      }
    }
    return out;
  }

  /** One value as a string, as {@link #strings} spells it; null for a missing or null value. */
  public static String string(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
