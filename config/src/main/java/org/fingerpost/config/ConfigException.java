package org.fingerpost.config;

/**
 * The configuration is unusable. The message names the source (file, environment variable, system
 * property or context parameter), the section and the key, and says what is wrong; it is meant for
 * the operator as it is, without a stack trace. An {@link IllegalArgumentException}: the settings
 * builders' own checks throw those, and a servlet container reports either as a failed deployment.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code Invalid configuration: section 's', key 'k' <problem>}, the wording of checks after loading. */
  public static ConfigException invalid(Key key, String problem) {
    return new ConfigException("Invalid configuration: section '" + key.section() + "', key '" + key.name() + "' "
        + problem);
  }
}
