package org.fingerpost.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.testing.Await;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.WebSettings;

/**
 * The measured side of {@link WsFanoutBench}, in its own JVM: one web node with its default
 * settings except the per-address limits ({@link LoopbackWebNode}), plus ZooKeeper and a streamer for
 * the builds (which cost one stream each), driven by a
 * line protocol on stdin. Answers are stdout lines starting with {@value #ANSWER}; logs go to stderr.
 *
 * <p>Commands: {@code build <uuid>} (starts the build's log with {@code start\n} and waits until the
 * registry has it), {@code gc} (answers the heap in use after a full collection, bytes), {@code stats}
 * (the fan-out's metrics), {@code websockets} (open now), {@code quit}. Usage: {@code FanoutNode <workDir>}; first answer {@code READY
 * <web port> <job dir>}.
 */
public final class FanoutNode {
  static final String ANSWER = "@@ ";

  private FanoutNode() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
    Path jobs = Files.createDirectories(work.resolve("fanout-jobs-" + ProcessHandle.current().pid()));
    try (LocalZooKeeper zk = LocalZooKeeper.start(work.resolve("fanout-zk-" + ProcessHandle.current().pid()), 0);
        Registry registry = Registry.connect(RegistrySettings.builder(zk.connectString()).build());
        Streamer streamer = new Streamer(StreamerSettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("127.0.0.1").jobDir(jobs).tenant(WsFanoutBench.TENANT).build(), registry);
        Transports transports = Transports.load(FanoutNode.class.getClassLoader(), null, TransportSettings.EMPTY);
        WebServices services = new WebServices(LoopbackWebNode.settings(WebSettings.builder().port(0)).build(),
            registry, transports);
        WebServer web = new WebServer(services, LoopbackWebNode.limits())) {
      streamer.start();
      web.start();
      answer("READY " + web.port() + " " + jobs);
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
        String[] cmd = line.trim().split("\\s+");
        switch (cmd[0]) {
          case "build" -> build(services, jobs, cmd[1]);
          case "gc" -> answer("HEAP " + heapAfterGc());
          case "websockets" -> answer("WEBSOCKETS " + services.openSockets().get());
          case "stats" -> answer("STATS decoded=" + count(services, "fingerpost.web.text.decoded")
              + " reused=" + count(services, "fingerpost.web.text.reused")
              + " budget_closed=" + count(services, "fingerpost.web.send.budget.closed")
              + " slow_closed=" + (long) services.slowClients().count()
              + " websockets=" + services.openSockets().get()
              + " upstreams=" + services.sharedStreams().upstreamCount());
          default -> answer("ERROR unknown command " + cmd[0]);
        }
      }
    }
  }

  /** A counter's count; -1 where the web node has no such counter (a build before it was added). */
  private static long count(WebServices services, String name) {
    io.micrometer.core.instrument.Counter c = services.prometheus().find(name).counter();
    return c == null ? -1 : (long) c.count();
  }

  /** Starts a build's log and waits until the web node's watched copy of the registry has it. */
  private static void build(WebServices services, Path jobs, String uuid) throws Exception {
    Path log = jobs.resolve(uuid).resolve("work/logs/job-output.txt");
    Files.createDirectories(log.getParent());
    Files.writeString(log, "start\n");
    if (!Await.within(Duration.ofMinutes(2), () -> services.builds().find(uuid).isPresent())) {
      answer("ERROR build " + uuid + " not seen by the web node");
      return;
    }
    answer("OK " + log);
  }

  /** Heap in use after full collections (twice: the first may leave finalizable garbage). */
  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void answer(String text) {
    System.out.println(ANSWER + text);
    System.out.flush();
  }
}
