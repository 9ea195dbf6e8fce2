package org.fingerpost.packaging;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The YAML configuration file (docs/design.md 3.6): sections {@code zookeeper}, {@code fingergw}, {@code
 * executor} and {@code transports}, named and keyed like Zuul's {@code zuul.conf}. Every key can be
 * overridden by an environment variable {@code FINGERPOST_<SECTION>_<KEY>} (upper case), for example
 * {@code FINGERPOST_ZOOKEEPER_HOSTS}. Unknown keys and invalid values fail loading with a message that
 * names the section and key.
 */
public final class ConfigFile {

  /** The prefix of environment variables that override keys. */
  public static final String ENV_PREFIX = "FINGERPOST_";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  @JsonProperty
  public ZookeeperSection zookeeper = new ZookeeperSection();
  @JsonProperty
  public FingergwSection fingergw = new FingergwSection();
  @JsonProperty
  public ExecutorSection executor = new ExecutorSection();
  @JsonProperty
  public TransportsSection transports = new TransportsSection();
  @JsonProperty
  public WebSection web = new WebSection();
  /** Read protection: authenticator name -> the keys of Zuul's {@code [auth <name>]} (docs/web-tier.md "Protecting logs"). */
  @JsonProperty
  public Map<String, Map<String, String>> auth = new java.util.LinkedHashMap<>();
  /** Read protection: where tenant rules come from and key-fetching limits (docs/web-tier.md "Protecting logs"). */
  @JsonProperty
  public Map<String, String> access = new java.util.LinkedHashMap<>();

  /**
   * The read-protection configuration of the {@code auth} and {@code access} sections.
   *
   * @throws ConfigException naming the section and key of a bad value
   */
  public org.fingerpost.webapp.auth.AuthConfig authConfig() throws ConfigException {
    try {
      return org.fingerpost.webapp.auth.AuthConfig.fromSections(
          org.fingerpost.webapp.auth.AuthConfig.sectionsOf(auth, access));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration: " + e.getMessage(), e);
    }
  }
  @JsonProperty
  public WebhooksSection webhooks = new WebhooksSection();
  /** Webhook connections, {@code name -> key -> value} as zuul.conf's {@code [connection <name>]} (docs/web-tier.md, Webhooks). */
  @JsonProperty
  public Map<String, Map<String, String>> connections = new java.util.LinkedHashMap<>();

  /** Loads {@code file} (null: defaults only) and applies {@code env} overrides. */
  public static ConfigFile load(Path file, Map<String, String> env) throws ConfigException {
    ObjectNode tree = YAML.createObjectNode();
    if (file != null) {
      tree = read(file);
    }
    return fromTree(tree, env, file);
  }

  /**
   * The model of an already-parsed {@code tree} ({@code section -> key -> value}, keys in snake_case)
   * with {@code env} overrides applied; {@code file} names the source in errors. Used by {@link
   * ZuulConf} too, so both sources give the same model and the same errors.
   */
  static ConfigFile fromTree(ObjectNode tree, Map<String, String> env, Path file) throws ConfigException {
    applyEnvironment(tree, env);
    try {
      return YAML.treeToValue(tree, ConfigFile.class);
    } catch (JsonMappingException e) {
      throw new ConfigException(describe(file, e), e);
    } catch (IOException e) {
      throw new ConfigException("Cannot read configuration " + file + ": " + e.getMessage(), e);
    }
  }

  private static ObjectNode read(Path file) throws ConfigException {
    try {
      JsonNode node = YAML.readTree(Files.readString(file));
      if (node == null || node.isMissingNode() || node.isNull()) {
        return YAML.createObjectNode();
      }
      if (!node.isObject()) {
        throw new ConfigException("Configuration " + file + " must be a mapping of sections");
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new ConfigException("Cannot read configuration " + file + ": " + e.getMessage(), e);
    }
  }

  /** The sections, as named in the file and in {@code FINGERPOST_<SECTION>_<KEY>} variables. */
  static final java.util.Set<String> SECTIONS = java.util.Set.of("zookeeper", "fingergw", "executor", "transports", "web",
      "access", "webhooks");

  private static void applyEnvironment(ObjectNode tree, Map<String, String> env) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX)) {
        continue;
      }
      String rest = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
      int split = rest.indexOf('_');
      if (split <= 0) {
        continue;
      }
      String section = rest.substring(0, split);
      String key = rest.substring(split + 1);
      if (!SECTIONS.contains(section)) {
        continue; // FINGERPOST_LOG_LEVEL and friends belong to logging, not to this file
      }
      JsonNode existing = tree.get(section);
      ObjectNode sectionNode = existing instanceof ObjectNode ? (ObjectNode) existing : tree.putObject(section);
      sectionNode.put(key, e.getValue());
    }
  }

  private static String describe(Path file, JsonMappingException e) {
    String where = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
    String source = file == null ? "environment" : file.toString();
    String problem = e.getOriginalMessage();
    int cut = problem.indexOf(" (class ");
    if (cut > 0) {
      problem = problem.substring(0, cut);
    }
    if (where.contains(".")) {
      String section = where.substring(0, where.indexOf('.'));
      String key = where.substring(where.indexOf('.') + 1);
      return "Invalid configuration in " + source + ": section '" + section + "', key '" + key + "': " + problem;
    }
    return "Invalid configuration in " + source + " at '" + where + "': " + problem;
  }

  /** The configuration is unusable; the message names the file, section and key. */
  public static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }

    public ConfigException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
