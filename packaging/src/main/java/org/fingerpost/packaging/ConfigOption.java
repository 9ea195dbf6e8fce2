package org.fingerpost.packaging;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every subcommand takes. */
public final class ConfigOption {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML configuration file (README: Configuration). "
          + "Every key can also be set as FINGERPOST_<SECTION>_<KEY>.")
  Path file;

  ConfigFile load() throws ConfigFile.ConfigException {
    return ConfigFile.load(file, System.getenv());
  }
}
