package org.fingerpost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layers of every source and the errors that name the source, section and key. */
class ConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void environmentOverridesYamlWhichOverridesDefaults() throws Exception {
    Path yaml = Files.writeString(dir.resolve("f.yaml"), "web:\n  zone: a\n  port: 9100\n");
    Configuration c = ConfigLoader.yaml(yaml, Map.of("FINGERPOST_WEB_ZONE", "b"));
    assertEquals("b", c.text(Keys.WEB_ZONE));
    assertEquals("environment variable FINGERPOST_WEB_ZONE", c.source(Keys.WEB_ZONE));
    assertEquals(9100, c.integer(Keys.WEB_PORT));
    assertEquals(yaml.toString(), c.source(Keys.WEB_PORT));
    assertEquals(20, c.number(Keys.WEB_PING_INTERVAL));
    assertEquals("default", c.source(Keys.WEB_PING_INTERVAL));
  }

  @Test
  void errorsNameTheSourceTheSectionAndTheKey() throws Exception {
    Path yaml = Files.writeString(dir.resolve("f.yaml"), "web:\n  port: high\n");
    assertEquals("Invalid configuration in " + yaml + ": section 'web', key 'port': must be a whole number, not 'high'",
        assertThrows(ConfigException.class, () -> ConfigLoader.yaml(yaml, Map.of())).getMessage());
    assertEquals("Invalid configuration in environment variable FINGERPOST_WEB_PROT: section 'web', key 'prot': "
        + "unknown key", assertThrows(ConfigException.class,
            () -> ConfigLoader.yaml(null, Map.of("FINGERPOST_WEB_PROT", "1"))).getMessage());
    assertEquals("Invalid configuration in context parameter fingerpost.web.websocket_compression: section 'web', "
        + "key 'websocket_compression': must be true or false, not 'maybe'", assertThrows(ConfigException.class,
            () -> war(Map.of("fingerpost.web.websocket_compression", "maybe"), Map.of(), new Properties()))
        .getMessage());
  }

  @Test
  void theWarTakesSystemPropertyThenEnvironmentThenContextParameter() throws Exception {
    Properties props = new Properties();
    props.setProperty("fingerpost.web.zone", "property");
    Map<String, String> env = Map.of("FINGERPOST_WEB_ZONE", "variable", "FINGERPOST_ZOOKEEPER_ROOT", "/env");
    Map<String, String> params = Map.of("fingerpost.web.zone", "parameter", "fingerpost.zookeeper.root", "/param",
        "fingerpost.zookeeper.hosts", "zk:2181");
    Configuration c = war(params, env, props);
    assertEquals("property", c.text(Keys.WEB_ZONE));
    assertEquals("/env", c.text(Keys.ZK_ROOT));
    assertEquals("zk:2181", c.text(Keys.ZK_HOSTS));
    assertEquals("context parameter fingerpost.zookeeper.hosts", c.source(Keys.ZK_HOSTS));
    assertNull(c.text(Keys.TR_PLUGINS_DIR), "the WAR loads no plugins unless told to");
  }

  @Test
  void namedSectionsFromEverySource() throws Exception {
    Path yaml = Files.writeString(dir.resolve("f.yaml"),
        "auth:\n  corp:\n    driver: HS256\nconnections:\n  gh:\n    driver: github\n");
    Configuration c = ConfigLoader.yaml(yaml, Map.of("FINGERPOST_AUTH_NAMES", "corp,sso",
        "FINGERPOST_AUTH_CORP_SECRET", "s", "FINGERPOST_AUTH_SSO_DRIVER", "OpenIDConnect"));
    assertEquals(Map.of("corp", Map.of("driver", "HS256", "secret", "s"), "sso", Map.of("driver", "OpenIDConnect")),
        c.named(Keys.AUTH));
    assertEquals(Map.of("gh", Map.of("driver", "github")), c.named(Keys.CONNECTION));
    Configuration w = war(Map.of("fingerpost.connection.github.com.driver", "github",
        "fingerpost.auth.names", "corp", "fingerpost.auth.corp.driver", "HS256"), Map.of(), new Properties());
    assertEquals(Map.of("github.com", Map.of("driver", "github")), w.named(Keys.CONNECTION));
    assertEquals(Map.of("corp", Map.of("driver", "HS256")), w.named(Keys.AUTH));
  }

  @Test
  void zuulConfLeavesBuildNodesToZuul() throws Exception {
    Path conf = Files.writeString(dir.resolve("zuul.conf"), "[executor]\npublish_builds=true\n[fingergw]\nport=79\n"
        + "monitoring_port=1\nlookup_threads=2\n[scheduler]\ntenant_config=/etc/zuul/main.yaml\n");
    Configuration c = ConfigLoader.zuulConf(conf, Map.of("FINGERPOST_EXECUTOR_PUBLISH_BUILDS", "true"));
    assertFalse(c.bool(Keys.EX_PUBLISH_BUILDS));
    assertEquals("/var/lib/zuul/builds", c.text(Keys.EX_JOB_DIR));
    assertFalse(c.isSet(Keys.GW_MONITORING_PORT), "Fingerpost's own key, never from zuul.conf");
    assertEquals(2, c.integer(Keys.GW_LOOKUP_THREADS), "Fingerpost's keys of Zuul's sections are read");
  }

  private static Configuration war(Map<String, String> params, Map<String, String> env, Properties props) {
    return ConfigLoader.war(params::get, params.keySet(), env, props);
  }
}
