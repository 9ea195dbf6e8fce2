package org.fingerpost.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help for every subcommand, and a clear error for a bad configuration. */
class MainTest {
  @TempDir
  Path dir;

  static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void helpListsTheSubcommands() {
    String[] r = run("--help");
    assertEquals("0", r[0]);
    for (String sub : new String[] {"demo", "streamer", "gateway"}) {
      assertTrue(r[1].contains(sub), r[1]);
    }
  }

  @Test
  void everySubcommandHasHelpWithTheConfigOption() {
    for (String sub : new String[] {"demo", "streamer", "gateway"}) {
      String[] r = run(sub, "--help");
      assertEquals("0", r[0], sub);
      assertTrue(r[1].contains("--config"), sub + ": " + r[1]);
    }
  }

  @Test
  void badConfigurationFailsWithTheSectionAndKey() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "zookeeper:\n  hosts: 127.0.0.1:1\nfingergw:\n  zone: [a, b]\n");
    String[] r = run("gateway", "--config", file.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("section 'fingergw', key 'zone'"), r[2]);
  }

  @Test
  void missingRequiredKeyFailsClearly() throws Exception {
    Path file = Files.writeString(dir.resolve("empty.yaml"), "executor:\n  finger_port: 0\n");
    String[] r = run("streamer", "--config", file.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("'hosts' is required"), r[2]);
  }
}
