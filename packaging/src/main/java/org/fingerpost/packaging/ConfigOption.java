package org.fingerpost.packaging;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every subcommand takes. */
public final class ConfigOption {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "YAML configuration file (docs/configuration.md). "
          + "Every key can also be set as FINGERPOST_<SECTION>_<KEY>.")
  Path file;

  @Option(names = "--zuul-conf", paramLabel = "FILE",
      description = "Read Zuul's zuul.conf instead of a YAML file ([zookeeper], [fingergw], [web], "
          + "[executor]; docs/configuration.md: Using zuul.conf). Build nodes are then never published.")
  Path zuulConf;

  ConfigFile load() throws ConfigFile.ConfigException {
    if (zuulConf != null && file != null) {
      throw new ConfigFile.ConfigException("Give either --config or --zuul-conf, not both");
    }
    if (zuulConf != null) {
      return ZuulConf.load(zuulConf, System.getenv());
    }
    return ConfigFile.load(file, System.getenv());
  }
}
