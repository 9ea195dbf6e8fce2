package org.fingerpost.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fingerpost.registry.BuildDirectory;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;

/**
 * Cost of one build lookup: {@link BuildDirectory} reading ZooKeeper on every call against the
 * watch-fed {@link BuildDirectory#watching} copy, same registry, same builds, same run, alternating
 * rounds. The builds are spread over the unzoned queue and several zones, as in a zoned Zuul.
 *
 * <p>Usage: {@code RegistryLookupBench [lookups per round (20000)] [rounds (3)] [workDir] [resultFile]}.
 */
public final class RegistryLookupBench {
  /** Zones with their own request queue (plus the unzoned one). */
  static final int ZONES = 4;
  /** Build request nodes per queue. */
  static final int BUILDS_PER_QUEUE = 100;

  private RegistryLookupBench() {}

  public static void main(String[] args) throws Exception {
    int lookups = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "bench/work"));
    Path result = args.length > 3 ? Path.of(args[3]) : null;

    try (LocalZooKeeper zk = LocalZooKeeper.start(work.resolve("zk-lookup-" + ProcessHandle.current().pid()), 0);
        Registry registry = Registry.connect(RegistrySettings.builder(zk.connectString()).build())) {
      List<String> ids = new ArrayList<>();
      for (int q = 0; q <= ZONES; q++) {
        String zone = q == 0 ? null : "zone-" + q;
        for (int i = 0; i < BUILDS_PER_QUEUE; i++) {
          String uuid = String.format("%08x%024x", q, i);
          String json = "{\"uuid\":\"" + uuid + "\",\"tenant_name\":\"bench\",\"worker_info\":{\"hostname\":"
              + "\"ex\",\"log_port\":7900" + (zone == null ? "" : ",\"zone\":\"" + zone + "\"") + "}}";
          registry.curator().create().creatingParentsIfNeeded()
              .forPath(BuildDirectory.requestPath(registry, zone, uuid), json.getBytes(StandardCharsets.UTF_8));
          ids.add(uuid);
        }
      }
      BuildDirectory reading = new BuildDirectory(registry);
      try (BuildDirectory watching = BuildDirectory.watching(registry)) {
        if (!watching.awaitCacheReady(Duration.ofSeconds(30))) {
          throw new IllegalStateException("cache did not fill");
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("Build lookup cost, %d builds in %d queues (unzoned + %d zones), %d lookups/round%n",
            ids.size(), ZONES + 1, ZONES, lookups));
        out.append(String.format("%-6s %-28s %14s %14s%n", "round", "directory", "us/lookup", "lookups/s"));
        for (int r = 1; r <= rounds; r++) {
          double read = measure(reading, ids, lookups, r);
          double cached = measure(watching, ids, lookups, r);
          out.append(String.format("%-6d %-28s %14.1f %14.0f%n", r, "ZooKeeper read per lookup", read, 1e6 / read));
          out.append(String.format("%-6d %-28s %14.1f %14.0f%n", r, "watch-fed cache", cached, 1e6 / cached));
        }
        PrintStream console = System.out;
        console.print(out);
        if (result != null) {
          Files.createDirectories(result.toAbsolutePath().getParent());
          Files.writeString(result, out.toString());
        }
      }
    }
  }

  /** Mean microseconds per lookup of random existing builds (warm-up pass not counted). */
  static double measure(BuildDirectory dir, List<String> ids, int lookups, long seed) throws Exception {
    Random random = new Random(seed);
    for (int i = 0; i < Math.min(lookups, 2_000); i++) {
      dir.find(ids.get(random.nextInt(ids.size()))).orElseThrow();
    }
    long start = System.nanoTime();
    for (int i = 0; i < lookups; i++) {
      dir.find(ids.get(random.nextInt(ids.size()))).orElseThrow();
    }
    return (System.nanoTime() - start) / 1e3 / lookups;
  }
}
