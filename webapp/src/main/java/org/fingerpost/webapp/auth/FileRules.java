package org.fingerpost.webapp.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Rules from a file in Zuul's {@code main.yaml} syntax ({@code access.tenant_config}), for a
 * Fingerpost without Zuul: read once at start; a file that cannot be read or parsed stops the start.
 * Immutable, thread-safe.
 */
public final class FileRules implements RulesSource {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final AccessRules rules;

  /** @throws IllegalArgumentException naming the file and the problem */
  public FileRules(Path file) {
    try {
      this.rules = AccessRules.fromMainYaml(YAML.readValue(file.toFile(), Object.class));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("access.tenant_config " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public AccessRules current() {
    return rules;
  }

  @Override
  public AccessRules await(Duration timeout) {
    return rules;
  }
}
