package org.fingerpost.packaging;

import java.nio.file.Path;
import org.fingerpost.config.ConfigException;
import org.fingerpost.config.ConfigLoader;
import org.fingerpost.config.Configuration;
import picocli.CommandLine.Option;

/** The {@code --config FILE} and {@code --zuul-conf FILE} options every subcommand takes. */
public final class ConfigOption {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML configuration file (docs/configuration.md). "
          + "Every key can also be set as FINGERPOST_<SECTION>_<KEY>.")
  Path file;

  @Option(names = "--zuul-conf", paramLabel = "FILE",
      description = "Read Zuul's zuul.conf instead of a YAML file ([zookeeper], [fingergw], [web], "
          + "[executor]; docs/configuration.md: Using zuul.conf). Build nodes are then never published.")
  Path zuulConf;

  Configuration load() throws ConfigException {
    if (zuulConf != null && file != null) {
      throw new ConfigException("Give either --config or --zuul-conf, not both");
    }
    if (zuulConf != null) {
      return ConfigLoader.zuulConf(zuulConf, System.getenv());
    }
    return ConfigLoader.yaml(file, System.getenv());
  }
}
