package org.fingerpost.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fingerpost.gateway.Gateway;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.BuildDirectory;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.transport.tls.TlsContexts;
import org.fingerpost.transport.tls.TlsSettings;

/**
 * Two zones on loopback: a streamer and a gateway in zone B, a gateway in zone A, each with its own
 * registry session. Measures, in one run:
 * <ol>
 *   <li>throughput of a large log read straight from the streamer, across two gateway hops (client
 *       -> zone A gateway -> zone B gateway -> streamer) and, when Debian's nginx with its stream module
 *       is installed, across two chained nginx stream proxies, alternating rounds;
 *   <li>with {@code pkiDir}: the same two hops with the cross-zone one over mutual TLS (client -> zone A
 *       gateway =TLS=> zone C gateway, whose port is mutual TLS -> streamer), against two chained
 *       nginx stream proxies with that hop over mutual TLS ({@code proxy_ssl} to a {@code listen ssl}
 *       port), a second log of the same size;
 *   <li>the time from a build node appearing in ZooKeeper to its first log byte reaching a client of
 *       zone A (the client asks again at once while the answer is {@code Build not found}).
 * </ol>
 *
 * <p>Usage: {@code ZoneRelayBench [sizeMiB (256)] [rounds (3)] [appearances (20)] [workDir] [resultFile]
 * [pkiDir]}; {@code pkiDir} holds {@code ca.crt}, {@code node.crt}, {@code node.key} for {@code localhost}
 * and 127.0.0.1 (made by {@code bench/zones} and {@code bench/suite} with openssl).
 */
public final class ZoneRelayBench {
  private ZoneRelayBench() {}

  public static void main(String[] args) throws Exception {
    long sizeMiB = args.length > 0 ? Long.parseLong(args[0]) : 256;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int appearances = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path work = Files.createDirectories(Path.of(args.length > 3 ? args[3] : "bench/work"));
    Path result = args.length > 4 ? Path.of(args[4]) : null;
    Path pki = args.length > 5 ? Path.of(args[5]) : null;
    long size = sizeMiB * 1024 * 1024;
    Path jobs = Files.createDirectories(work.resolve("zone-jobs"));
    String uuid = "20e0b0000000000000000000000000" + String.format("%02x", sizeMiB % 256);
    BenchLogs.ensure(jobs.resolve(uuid).resolve("work/logs/job-output.txt"), size, 7);
    String tlsUuid = "20e0c0000000000000000000000000" + String.format("%02x", sizeMiB % 256);
    if (pki != null) {
      BenchLogs.ensure(jobs.resolve(tlsUuid).resolve("work/logs/job-output.txt"), size, 8);
    }

    try (LocalZooKeeper zk = LocalZooKeeper.start(work.resolve("zk-zones-" + ProcessHandle.current().pid()), 0);
        Registry regB = connect(zk); Registry regStreamer = connect(zk); Registry regA = connect(zk);
        Streamer streamer = new Streamer(StreamerSettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("127.0.0.1").jobDir(jobs).zone("zone-b").tenant("bench").publishBuilds(false).build(), regStreamer);
        Transports tB = Transports.load(ZoneRelayBench.class.getClassLoader(), null, plainHops());
        // Zone A's hops follow the registry: plain to zone B's gateway, mutual TLS to zone C's.
        Transports tA = Transports.load(ZoneRelayBench.class.getClassLoader(), null, pki == null
            ? plainHops() : tlsHops(pki));
        Registry regC = connect(zk);
        Transports tC = Transports.load(ZoneRelayBench.class.getClassLoader(), null, TransportSettings.EMPTY);
        Gateway gwC = pki == null ? null : new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("localhost").zone("zone-c").sslContextFactory(TlsContexts.server(TlsSettings.builder()
                .cert(pki.resolve("node.crt")).key(pki.resolve("node.key")).ca(pki.resolve("ca.crt")).build()))
            .build(), regC, tC);
        Gateway gwB = new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
            .zone("zone-b").build(), regB, tB);
        Gateway gwA = new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
            .zone("zone-a").build(), regA, tA)) {
      streamer.start();
      gwB.start();
      gwA.start();
      if (gwC != null) {
        gwC.start();
        regC.curator().create().creatingParentsIfNeeded().forPath(BuildDirectory.requestPath(regC, "zone-c", tlsUuid),
            nodeJson(tlsUuid, streamer.port(), "zone-c"));
        BenchLogs.awaitNode(regA, BuildDirectory.requestPath(regA, "zone-c", tlsUuid));
      }
      // Build nodes are written here, as Zuul's executors do, so their appearance can be timed.
      regB.curator().create().creatingParentsIfNeeded().forPath(BuildDirectory.requestPath(regB, "zone-b", uuid),
          nodeJson(uuid, streamer.port(), "zone-b"));
      BenchLogs.awaitNode(regA, BuildDirectory.requestPath(regA, "zone-b", uuid));

      List<Double> direct = new ArrayList<>();
      List<Double> twoHops = new ArrayList<>();
      List<Double> twoHopsBusy = new ArrayList<>();
      List<Double> nginxHopsBusy = new ArrayList<>();
      // Per round: {machine busy ticks, this JVM's ticks} (USER_HZ, 100/s on Linux).
      List<double[]> twoHopsTicks = new ArrayList<>();
      List<double[]> nginxHopsTicks = new ArrayList<>();
      List<Double> nginxHops = new ArrayList<>();
      List<Double> tlsHops = new ArrayList<>();
      List<Double> nginxTlsHops = new ArrayList<>();
      NginxStreamProxy nginxB = null;
      NginxStreamProxy nginxA = null;
      NginxStreamProxy nginxC = null;
      NginxStreamProxy nginxTlsA = null;
      long pid = ProcessHandle.current().pid();
      if (NginxStreamProxy.available()) {
        nginxB = NginxStreamProxy.start(work.resolve("nginx-zone-b-" + pid), streamer.port());
        nginxA = NginxStreamProxy.start(work.resolve("nginx-zone-a-" + pid), nginxB.port());
        if (pki != null) {
          nginxC = NginxStreamProxy.start(work.resolve("nginx-zone-c-" + pid), streamer.port(), null, pki);
          nginxTlsA = NginxStreamProxy.start(work.resolve("nginx-zone-a-tls-" + pid), nginxC.port(), pki);
        }
      }
      RelayThroughput.stream(gwA.port(), uuid, Math.min(size, 64L << 20)); // warm-up
      if (gwC != null) {
        RelayThroughput.stream(gwA.port(), tlsUuid, Math.min(size, 64L << 20));
      }
      for (int r = 0; r < rounds; r++) {
        direct.add(RelayThroughput.stream(streamer.port(), uuid, size));
        long[] cpu = MachineCpu.ticks();
        long jvm = ProcFs.cpuTicks(pid);
        twoHops.add(RelayThroughput.stream(gwA.port(), uuid, size));
        long[] cpuAfter = MachineCpu.ticks();
        long jvmAfter = ProcFs.cpuTicks(pid);
        twoHopsBusy.add(MachineCpu.busyShare(cpu, cpuAfter));
        twoHopsTicks.add(new double[] {cpuAfter[0] - cpu[0], jvmAfter - jvm});
        if (nginxA != null) {
          nginxHops.add(RelayThroughput.stream(nginxA.port(), uuid, size));
          long[] end = MachineCpu.ticks();
          nginxHopsBusy.add(MachineCpu.busyShare(cpuAfter, end));
          nginxHopsTicks.add(new double[] {end[0] - cpuAfter[0], ProcFs.cpuTicks(pid) - jvmAfter});
        }
        if (gwC != null) {
          tlsHops.add(RelayThroughput.stream(gwA.port(), tlsUuid, size));
        }
        if (nginxTlsA != null) {
          nginxTlsHops.add(RelayThroughput.stream(nginxTlsA.port(), tlsUuid, size));
        }
      }
      for (NginxStreamProxy n : new NginxStreamProxy[] {nginxA, nginxB, nginxTlsA, nginxC}) {
        if (n != null) {
          n.close();
        }
      }
      int viaGateways = (gwC == null ? 1 : 2) * rounds;
      if (gwA.metrics().openedCount(org.fingerpost.transport.StreamTarget.Route.GATEWAY) < viaGateways) {
        throw new IllegalStateException("zone A's gateway did not relay through zone B's (and zone C's)");
      }

      // Build node appears -> first byte at a zone-A client.
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < appearances; i++) {
        String id = String.format("a99ea4%026x", i);
        Path log = jobs.resolve(id).resolve("work/logs/job-output.txt");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "first line\n");
        byte[] json = nodeJson(id, streamer.port(), "zone-b");
        long t0 = System.nanoTime();
        regB.curator().create().forPath(BuildDirectory.requestPath(regB, "zone-b", id), json);
        firstByte(gwA.port(), id);
        millis.add((System.nanoTime() - t0) / 1e6);
      }

      StringBuilder out = new StringBuilder();
      out.append(String.format("Zones on loopback: %d MiB log, %d rounds (alternating)%n", sizeMiB, rounds));
      out.append(String.format("%-60s %10s%n", "path", "MB/s"));
      for (int r = 0; r < rounds; r++) {
        out.append(String.format("%-60s %10.0f%n", "direct (client -> streamer), round " + (r + 1), direct.get(r)));
        out.append(String.format("%-60s %10.0f%n", "two hops (A gw -> B gw -> streamer), round " + (r + 1),
            twoHops.get(r)));
        if (!nginxHops.isEmpty()) {
          out.append(String.format("%-60s %10.0f%n", "nginx two hops (nginx -> nginx -> streamer), round " + (r + 1),
              nginxHops.get(r)));
        }
        if (!tlsHops.isEmpty()) {
          out.append(String.format("%-60s %10.0f%n", "TLS two hops (A gw =TLS=> C gw -> streamer), round " + (r + 1),
              tlsHops.get(r)));
        }
        if (!nginxTlsHops.isEmpty()) {
          out.append(String.format("%-60s %10.0f%n", "nginx TLS two hops (nginx =TLS=> nginx -> streamer), round "
              + (r + 1), nginxTlsHops.get(r)));
        }
      }
      out.append(String.format("two hops / direct (medians) = %.2f%n", median(twoHops) / median(direct)));
      if (!nginxHops.isEmpty()) {
        out.append(String.format("two gateway hops / two nginx hops (medians) = %.2f%n",
            median(twoHops) / median(nginxHops)));
        out.append(String.format("machine CPU busy (all cores, medians): two gateway hops %.0f %%, two nginx hops %.0f %%%n",
            100 * median(twoHopsBusy), 100 * median(nginxHopsBusy)));
        out.append(String.format("CPU s per GiB relayed (sum of rounds): machine %.2f / %.2f, this JVM (streamer, client, gateways) "
            + "%.2f / %.2f, the rest of the machine (nginx, kernel threads, other processes) %.2f / %.2f (two gateway hops / two nginx hops)%n",
            perGiB(twoHopsTicks, 0, size), perGiB(nginxHopsTicks, 0, size),
            perGiB(twoHopsTicks, 1, size), perGiB(nginxHopsTicks, 1, size),
            perGiB(twoHopsTicks, 0, size) - perGiB(twoHopsTicks, 1, size),
            perGiB(nginxHopsTicks, 0, size) - perGiB(nginxHopsTicks, 1, size)));
      }
      if (!nginxTlsHops.isEmpty()) {
        out.append(String.format("TLS: two gateway hops / two nginx hops (medians) = %.2f%n",
            median(tlsHops) / median(nginxTlsHops)));
      }
      Collections.sort(millis);
      out.append(String.format("build node appears -> first byte at a zone-A client, %d builds: median %.1f ms, "
          + "max %.1f ms%n", appearances, median(millis), millis.get(millis.size() - 1)));
      System.out.print(out);
      if (result != null) {
        Files.createDirectories(result.toAbsolutePath().getParent());
        Files.writeString(result, out.toString());
      }
    }
  }

  private static byte[] nodeJson(String id, int logPort, String zone) {
    return ("{\"uuid\":\"" + id + "\",\"tenant_name\":\"bench\",\"state\":\"running\",\"worker_info\":"
        + "{\"hostname\":\"127.0.0.1\",\"log_port\":" + logPort + ",\"zone\":\"" + zone + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Registry connect(LocalZooKeeper zk) {
    return Registry.connect(RegistrySettings.builder(zk.connectString()).build());
  }

  /** Asks zone A's gateway for the build until a log byte arrives; returns when it did. */
  static void firstByte(int port, String id) throws IOException {
    byte[] notFound = "Build not found".getBytes(StandardCharsets.UTF_8);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.getOutputStream().write((id + "\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        int b = in.read();
        if (b == 'f') {
          return;
        }
        if (b != notFound[0]) {
          throw new IOException("unexpected answer starting with " + b);
        }
      }
    }
  }

  /** The plain hops' settings: the defaults, or {@code -Dbench.bufferBytes} as {@code buffer_bytes}. */
  private static TransportSettings plainHops() {
    String bytes = System.getProperty("bench.bufferBytes");
    return bytes == null ? TransportSettings.EMPTY : new TransportSettings(Map.of("buffer_bytes", bytes));
  }

  /** Zone A's settings with {@code pki}: its certificate for the TLS hop, and {@link #plainHops()}' buffer. */
  private static TransportSettings tlsHops(Path pki) {
    Map<String, String> s = new HashMap<>(plainHops().asMap());
    s.put(TlsSettings.CERT_KEY, pki.resolve("node.crt").toString());
    s.put(TlsSettings.KEY_KEY, pki.resolve("node.key").toString());
    s.put(TlsSettings.CA_KEY, pki.resolve("ca.crt").toString());
    return new TransportSettings(s);
  }

  /** CPU seconds per GiB over all rounds of {@code ticks}, column {@code column}. */
  private static double perGiB(List<double[]> ticks, int column, long bytesPerRound) {
    double sum = 0;
    for (double[] t : ticks) {
      sum += t[column];
    }
    return sum / 100.0 / (ticks.size() * (double) bytesPerRound / (1L << 30));
  }

  private static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    return v.get(v.size() / 2);
  }
}
