package org.fingerpost.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zuul's {@code zuul.conf} (docs/design.md 3.6) as a source of the same model the YAML file fills, so
 * an operator can point any command at the file Zuul already uses.
 *
 * <p>Read: the keys of {@code [zookeeper]}, {@code [fingergw]}, {@code [web]}, {@code [webhooks]},
 * {@code [executor]} and {@code [access]} the catalogue has (except Fingerpost's own, {@link
 * Key#fromZuul()} false), every {@code [auth <name>]} section (its catalogue keys) and every {@code
 * [connection <name>]} section as it is. Everything else is ignored with a debug line (a zuul.conf holds
 * much more: scheduler, database). {@code executor.publish_builds} is always false (Zuul's executors
 * own the build nodes) and {@code executor.job_dir} defaults to Zuul's. Stateless.
 */
final class ZuulConfSource {
  private static final Logger LOG = LoggerFactory.getLogger(ZuulConfSource.class);

  /** The zuul.conf sections whose catalogue keys are imported. */
  static final Set<String> SECTIONS = Set.of(Keys.ZOOKEEPER, Keys.FINGERGW, Keys.WEB, Keys.WEBHOOKS,
      Keys.EXECUTOR, Keys.ACCESS);
  /** zuul.conf's section name of an authenticator ({@code zuul/lib/auth.py}): {@code [auth name]}, name optionally quoted. */
  static final Pattern AUTH_SECTION = Pattern.compile("^auth (['\"]?)(.*)(\\1)$", Pattern.CASE_INSENSITIVE);
  /** zuul.conf's connection sections, {@code [connection <name>]}: the web tier's webhooks read them. */
  static final String CONNECTION_PREFIX = "connection ";
  /** Zuul's default {@code [executor] job_dir}. */
  static final String ZUUL_JOB_DIR = "/var/lib/zuul/builds";

  private ZuulConfSource() {}

  /** Parses {@code file}; errors name it. */
  static IniFile parse(Path file) throws ConfigException {
    try {
      return IniFile.parse(Files.readAllLines(file));
    } catch (IOException e) {
      throw new ConfigException("Cannot read zuul.conf " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid zuul.conf " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@code ini} (from {@code file}) into {@code b}, above Zuul's default {@code job_dir}.
   *
   * @throws ConfigException naming the file, section and key of a value of the wrong type, or an
   *     interpolation that fails
   */
  static void read(Path file, IniFile ini, Configuration.Builder b) throws ConfigException {
    String source = file.toString();
    b.set("Zuul's default", Keys.EXECUTOR, Keys.EX_JOB_DIR.name(), ZUUL_JOB_DIR);
    for (String section : ini.sections()) {
      Map<String, String> values = section(file, ini, section);
      Matcher auth = AUTH_SECTION.matcher(section.trim());
      if (auth.matches()) {
        b.namedSection(Keys.AUTH, auth.group(2));
        Set<String> keys = Keys.namedKeys(Keys.AUTH);
        for (Map.Entry<String, String> e : values.entrySet()) {
          if (keys.contains(e.getKey())) {
            b.setNamed(source, Keys.AUTH, auth.group(2), e.getKey(), e.getValue());
          } else {
            ignored(file, section, e.getKey());
          }
        }
      } else if (section.startsWith(CONNECTION_PREFIX)) {
        String name = section.substring(CONNECTION_PREFIX.length()).trim();
        b.namedSection(Keys.CONNECTION, name);
        values.forEach((k, v) -> b.setNamed(source, Keys.CONNECTION, name, k, v));
      } else if (SECTIONS.contains(section)) {
        for (Map.Entry<String, String> e : values.entrySet()) {
          Key key = Keys.find(section, e.getKey());
          if (key == null || !key.fromZuul()) {
            ignored(file, section, e.getKey());
          } else {
            b.set(source, section, e.getKey(), e.getValue());
          }
        }
      } else {
        LOG.debug("zuul.conf {}: section [{}] is not used by Fingerpost; ignored", file, section);
      }
    }
  }

  /** What Zuul decides whatever the sources say: its executors own the build nodes. */
  static void afterOverrides(Path file, Configuration.Builder b) throws ConfigException {
    b.set(file + " (next to Zuul, Zuul's executors own the build nodes)", Keys.EXECUTOR,
        Keys.EX_PUBLISH_BUILDS.name(), "false");
    LOG.info("Configuration imported from zuul.conf {} (executor.publish_builds off: Zuul owns build nodes)", file);
  }

  private static Map<String, String> section(Path file, IniFile ini, String section) throws ConfigException {
    try {
      return ini.section(section);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid zuul.conf " + file + ": " + e.getMessage(), e);
    }
  }

  private static void ignored(Path file, String section, String key) {
    LOG.debug("zuul.conf {}: [{}] {} is not used by Fingerpost; ignored", file, section, key);
  }
}
