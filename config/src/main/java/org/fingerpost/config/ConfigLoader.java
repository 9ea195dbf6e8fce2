package org.fingerpost.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a {@link Configuration} from its sources, lowest precedence first:
 * <ul>
 *   <li>fat jar: the catalogue's defaults, a YAML file or a zuul.conf, then environment variables
 *       {@code FINGERPOST_<SECTION>_<KEY>};</li>
 *   <li>WAR: the defaults, then for each key {@code fingerpost.<section>.<key>} the first set of
 *       system property, environment variable and servlet context parameter.</li>
 * </ul>
 * Every value is checked against its key's type as it is read. Stateless and thread-safe.
 */
public final class ConfigLoader {
  /** The prefix of environment variables that override keys. */
  public static final String ENV_PREFIX = EnvironmentSource.PREFIX;

  private ConfigLoader() {}

  /**
   * The YAML {@code file} (null: defaults only) with {@code env} overrides.
   *
   * @throws ConfigException naming the file or variable, section and key
   */
  public static Configuration yaml(Path file, Map<String, String> env) throws ConfigException {
    Configuration.Builder b = new Configuration.Builder();
    if (file != null) {
      YamlSource.read(file, b);
    }
    EnvironmentSource.apply(env, b);
    return b.build();
  }

  /**
   * Zuul's {@code zuul.conf} with {@code env} overrides (see {@link ZuulConfSource} for what is read).
   *
   * @throws ConfigException naming the file or variable, section and key
   */
  public static Configuration zuulConf(Path file, Map<String, String> env) throws ConfigException {
    IniFile ini = ZuulConfSource.parse(file);
    Configuration.Builder b = new Configuration.Builder();
    ZuulConfSource.read(file, ini, b);
    EnvironmentSource.apply(env, b);
    ZuulConfSource.afterOverrides(file, b);
    return b.build();
  }

  /**
   * The WAR's configuration: system property, then environment variable, then context parameter.
   *
   * @param contextParameters the servlet context's init parameters (null when unset)
   * @param contextParameterNames their names (for {@code fingerpost.connection.<name>.<key>})
   * @throws ConfigException naming the property, variable or parameter, the section and the key
   */
  public static Configuration war(Function<String, String> contextParameters, Set<String> contextParameterNames,
      Map<String, String> env, Properties systemProperties) throws ConfigException {
    WarSource.Lookup lookup = property -> {
      String v = systemProperties.getProperty(property);
      if (present(v)) {
        return new WarSource.Found(v.trim(), "system property " + property);
      }
      String variable = WarSource.envName(property);
      v = env.get(variable);
      if (present(v)) {
        return new WarSource.Found(v.trim(), "environment variable " + variable);
      }
      v = contextParameters.apply(property);
      return present(v) ? new WarSource.Found(v.trim(), "context parameter " + property) : null;
    };
    Set<String> names = new java.util.LinkedHashSet<>(systemProperties.stringPropertyNames());
    names.addAll(contextParameterNames);
    Configuration.Builder b = new Configuration.Builder();
    // The WAR never loads plugins unless told to: the container's working directory is not its own.
    b.set("the WAR's default", Keys.TRANSPORTS, Keys.TR_PLUGINS_DIR.name(), "");
    WarSource.read(lookup, names, b);
    return b.build();
  }

  /** The WAR's configuration from this JVM's system properties and environment. */
  public static Configuration war(Function<String, String> contextParameters, Set<String> contextParameterNames)
      throws ConfigException {
    return war(contextParameters, contextParameterNames, System.getenv(), System.getProperties());
  }

  private static boolean present(String v) {
    return v != null && !v.isBlank();
  }
}
