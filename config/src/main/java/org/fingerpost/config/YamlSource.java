package org.fingerpost.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The YAML file (docs/configuration.md): plain sections of scalar keys, {@code auth: {<name>: {...}}}
 * and {@code connections: {<name>: {...}}}. Stateless.
 */
final class YamlSource {
  /** The YAML key of the webhook connections (zuul.conf: {@code [connection <name>]}). */
  static final String CONNECTIONS = "connections";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private YamlSource() {}

  /**
   * Reads {@code file} into {@code b}.
   *
   * @throws ConfigException naming the file (and section and key) when it cannot be read or parsed,
   *     is not a mapping of sections, or has an unknown section or key or a value of the wrong type
   */
  static void read(Path file, Configuration.Builder b) throws ConfigException {
    String source = file.toString();
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("Cannot read configuration " + file + ": " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      throw new ConfigException("Configuration " + file + " must be a mapping of sections");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> section = it.next();
      String name = section.getKey();
      if (name.equals(Keys.AUTH) || name.equals(CONNECTIONS)) {
        readNamed(source, name.equals(Keys.AUTH) ? Keys.AUTH : Keys.CONNECTION, section.getValue(), b);
      } else {
        readPlain(source, name, section.getValue(), b);
      }
    }
  }

  private static void readPlain(String source, String section, JsonNode node, Configuration.Builder b)
      throws ConfigException {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new ConfigException("Invalid configuration in " + source + " at '" + section + "': a section must be "
          + "a mapping of keys");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      b.set(source, section, e.getKey(), scalar(source, section, e.getKey(), e.getValue()));
    }
  }

  private static void readNamed(String source, String kind, JsonNode node, Configuration.Builder b)
      throws ConfigException {
    if (node == null || node.isNull()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> section = it.next();
      b.namedSection(kind, section.getKey());
      if (section.getValue() == null || section.getValue().isNull()) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> keys = section.getValue().fields(); keys.hasNext(); ) {
        Map.Entry<String, JsonNode> e = keys.next();
        String where = kind + " " + section.getKey();
        b.setNamed(source, kind, section.getKey(), e.getKey(), scalar(source, where, e.getKey(), e.getValue()));
      }
    }
  }

  private static String scalar(String source, String section, String key, JsonNode value) throws ConfigException {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw new ConfigException("Invalid configuration in " + source + ": section '" + section + "', key '" + key
          + "': must be a single value");
    }
    return value.asText();
  }
}
