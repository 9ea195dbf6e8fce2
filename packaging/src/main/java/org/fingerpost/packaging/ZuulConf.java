package org.fingerpost.packaging;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports Zuul's {@code zuul.conf} (docs/design.md 3.6) into the same {@link ConfigFile} model the YAML
 * file gives, so an operator can point any command at the file Zuul already uses. Reusable by every
 * command: {@link #load(Path, Map)}.
 *
 * <p>Read: the {@code [zookeeper]}, {@code [fingergw]}, {@code [web]} and {@code [executor]} keys the
 * model has (docs/design.md 3.6 lists Zuul's, {@code prometheus_port} and {@code prometheus_addr} included:
 * without {@code prometheus_port} a daemon opens no monitoring listener, as Zuul's), every {@code [auth
 * <name>]} section (Zuul's authenticators; docs/web-tier.md "Protecting logs") and Fingerpost's {@code [access]},
 * and every {@code [connection <name>]} section as is (the webhook endpoint keeps those whose driver has
 * a webhook); every other key and section is ignored with a debug line (a zuul.conf holds much more:
 * scheduler, database). Values are converted like YAML
 * values; an invalid one fails with a message naming the file, section and key. Environment overrides
 * ({@code FINGERPOST_<SECTION>_<KEY>}) apply on top. {@code executor.publish_builds} is always false:
 * next to Zuul, Zuul's executors own the build nodes.
 *
 * <p>Stateless and thread-safe.
 */
public final class ZuulConf {
  private static final Logger LOG = LoggerFactory.getLogger(ZuulConf.class);

  /** The zuul.conf sections imported, and the model section each fills. */
  static final Map<String, Class<?>> SECTIONS = Map.of(
      "zookeeper", ZookeeperSection.class,
      "fingergw", FingergwSection.class,
      "web", WebSection.class,
      "webhooks", WebhooksSection.class,
      "executor", ExecutorSection.class);

  /** Model keys that are Fingerpost's own, never taken from a zuul.conf. */
  static final Set<String> NOT_FROM_ZUUL = Set.of("executor.publish_builds",
      // Fingerpost's deprecated YAML alias; Zuul's key is prometheus_port.
      "fingergw.monitoring_port", "executor.monitoring_port", "web.monitoring_port");

  /** zuul.conf's connection sections, {@code [connection <name>]}: the web tier's webhooks read them. */
  static final String CONNECTION_PREFIX = "connection ";

  /** Zuul's default {@code [executor] job_dir}. */
  static final String ZUUL_JOB_DIR = "/var/lib/zuul/builds";

  private ZuulConf() {}

  /**
   * Reads {@code file} and applies {@code env} overrides.
   *
   * @throws ConfigFile.ConfigException when the file cannot be read or parsed, or a value is invalid
   */
  public static ConfigFile load(Path file, Map<String, String> env) throws ConfigFile.ConfigException {
    IniFile ini;
    try {
      ini = IniFile.parse(Files.readAllLines(file));
    } catch (IOException e) {
      throw new ConfigFile.ConfigException("Cannot read zuul.conf " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigFile.ConfigException("Invalid zuul.conf " + file + ": " + e.getMessage(), e);
    }
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    Map<String, Map<String, String>> connections = new java.util.LinkedHashMap<>();
    for (String section : ini.sections()) {
      if (readAuthSection(ini, section, tree, file)) {
        continue;
      }
      if (section.startsWith(CONNECTION_PREFIX)) {
        try {
          connections.put(section.substring(CONNECTION_PREFIX.length()).trim(), ini.section(section));
        } catch (IllegalArgumentException e) {
          throw new ConfigFile.ConfigException("Invalid zuul.conf " + file + ": " + e.getMessage(), e);
        }
        continue;
      }
      Class<?> model = SECTIONS.get(section);
      if (model == null) {
        LOG.debug("zuul.conf {}: section [{}] is not used by Fingerpost; ignored", file, section);
        continue;
      }
      Map<String, String> values;
      try {
        values = ini.section(section);
      } catch (IllegalArgumentException e) {
        throw new ConfigFile.ConfigException("Invalid zuul.conf " + file + ": " + e.getMessage(), e);
      }
      ObjectNode node = tree.putObject(section);
      for (Map.Entry<String, String> e : values.entrySet()) {
        String key = e.getKey();
        if (!hasKey(model, key) || NOT_FROM_ZUUL.contains(section + "." + key)) {
          LOG.debug("zuul.conf {}: [{}] {} is not used by Fingerpost; ignored", file, section, key);
          continue;
        }
        node.put(key, e.getValue());
      }
    }
    ConfigFile config = ConfigFile.fromTree(tree, env, file);
    config.connections = connections;
    config.executor.publishBuilds = false;
    if (config.executor.jobDir == null || config.executor.jobDir.isBlank()) {
      config.executor.jobDir = ZUUL_JOB_DIR;
    }
    LOG.info("Configuration imported from zuul.conf {} (executor.publish_builds off: Zuul owns build nodes)",
        file);
    return config;
  }

  /**
   * Copies an {@code [auth <name>]} section (Zuul's authenticators) into {@code auth.<name>}, or the
   * {@code [access]} section (Fingerpost's own) into {@code access}; keys the model does not know
   * (such as {@code [DEFAULT]} keys, which Python shows in every section) are ignored with a debug line,
   * as Zuul's drivers ignore them.
   *
   * @return whether the section was one of those
   */
  private static boolean readAuthSection(IniFile ini, String section, ObjectNode tree, Path file)
      throws ConfigFile.ConfigException {
    String name = org.fingerpost.webapp.auth.AuthConfig.authenticatorName(section);
    Set<String> keys;
    ObjectNode node;
    if (name != null) {
      keys = org.fingerpost.webapp.auth.AuthenticatorConfig.keys();
      node = tree.with("auth").putObject(name);
    } else if (section.equals(org.fingerpost.webapp.auth.AuthConfig.ACCESS_SECTION)) {
      keys = org.fingerpost.webapp.auth.AccessSettings.keys();
      node = tree.putObject(section);
    } else {
      return false;
    }
    Map<String, String> values;
    try {
      values = ini.section(section);
    } catch (IllegalArgumentException e) {
      throw new ConfigFile.ConfigException("Invalid zuul.conf " + file + ": " + e.getMessage(), e);
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (keys.contains(e.getKey())) {
        node.put(e.getKey(), e.getValue());
      } else {
        LOG.debug("zuul.conf {}: [{}] {} is not used by Fingerpost; ignored", file, section, e.getKey());
      }
    }
    return true;
  }

  /** Whether {@code model} has a public field for the snake_case {@code key}. */
  static boolean hasKey(Class<?> model, String key) {
    StringBuilder camel = new StringBuilder();
    boolean upper = false;
    for (char c : key.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        camel.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    try {
      Field f = model.getField(camel.toString());
      return Modifier.isPublic(f.getModifiers()) && !Modifier.isStatic(f.getModifiers())
          && key.equals(key.toLowerCase(Locale.ROOT));
    } catch (NoSuchFieldException e) {
      return false;
    }
  }
}
