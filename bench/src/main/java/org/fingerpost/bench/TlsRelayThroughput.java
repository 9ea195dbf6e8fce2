package org.fingerpost.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.gateway.Gateway;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.transport.tls.TlsContexts;
import org.fingerpost.transport.tls.TlsProvider;
import org.fingerpost.transport.tls.TlsSettings;

/**
 * One relay hop over mutual TLS, with Conscrypt and with the JDK's provider, beside the same hop in
 * plain finger, in one process and run, alternating the three so that machine noise hits all alike:
 * client -> gateway -(hop)-> streamer, the hop being what differs. Also times full mutual-TLS 1.3
 * handshakes against each TLS streamer (client and server of the same provider).
 *
 * <p>Usage: {@code TlsRelayThroughput sizeMiB rounds workDir pkiDir [resultFile]}; {@code pkiDir} holds
 * {@code ca.crt}, {@code node.crt}, {@code node.key} (made by {@code bench/tls-run} with openssl).
 */
public final class TlsRelayThroughput {
  /** Handshakes timed per provider (after {@link #HANDSHAKE_WARMUP} untimed ones). */
  static final int HANDSHAKES = 200;
  static final int HANDSHAKE_WARMUP = 50;
  /** Row name of nginx's stream proxy with a mutual-TLS hop to the streamer. */
  static final String NGINX_TLS = "TLS hop, nginx (OpenSSL)";

  private TlsRelayThroughput() {}

  /** One hop kind: its own registry root, streamer and gateway. */
  private record Path3(String name, Streamer streamer, Gateway gateway, Transports transports, Registry registry) {}

  public static void main(String[] args) throws Exception {
    long sizeMiB = Long.parseLong(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Path work = Files.createDirectories(Path.of(args[2]));
    Path pki = Path.of(args[3]);
    Path result = args.length > 4 ? Path.of(args[4]) : null;
    long size = sizeMiB * 1024 * 1024;

    String uuid = "7150000000000000000000000000" + String.format("%04x", sizeMiB % 65536);
    Path jobs = work.resolve("tls-jobs");
    BenchLogs.ensure(jobs.resolve(uuid).resolve("work/logs/job-output.txt"), size, 42);
    TlsSettings base = TlsSettings.builder().cert(pki.resolve("node.crt")).key(pki.resolve("node.key"))
        .ca(pki.resolve("ca.crt")).build();

    List<Path3> paths = new ArrayList<>();
    try (LocalZooKeeper zk = LocalZooKeeper.start(work.resolve("zookeeper-" + ProcessHandle.current().pid()), 0)) {
      try {
        paths.add(start("plain finger hop", null, zk, jobs, base, uuid));
        paths.add(start("TLS hop, Conscrypt", TlsProvider.Preference.CONSCRYPT, zk, jobs, base, uuid));
        paths.add(start("TLS hop, JDK (SunJSSE)", TlsProvider.Preference.JDK, zk, jobs, base, uuid));
        if (!TlsProvider.conscryptAvailable()) {
          System.err.println("WARNING: Conscrypt is not available here; its row uses the JDK provider");
        }

        Map<String, Double> handshakeMs = new LinkedHashMap<>();
        handshakeMs.put(paths.get(1).name(), handshakes(base.toBuilder().provider(TlsProvider.Preference.CONSCRYPT).build(),
            paths.get(1).streamer().port()));
        handshakeMs.put(paths.get(2).name(), handshakes(base.toBuilder().provider(TlsProvider.Preference.JDK).build(),
            paths.get(2).streamer().port()));

        Map<String, List<Double>> mbps = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        paths.forEach(p -> ports.put(p.name(), p.gateway().port()));
        // The reference: nginx's stream proxy relaying to the Conscrypt streamer over mutual TLS (OpenSSL).
        NginxStreamProxy nginx = null;
        if (NginxStreamProxy.available()) {
          nginx = NginxStreamProxy.start(work.resolve("nginx-tls-" + ProcessHandle.current().pid()),
              paths.get(1).streamer().port(), pki);
          ports.put(NGINX_TLS, nginx.port());
        }
        ports.keySet().forEach(k -> mbps.put(k, new ArrayList<>()));
        for (int port : ports.values()) { // warm-up: page cache, JIT, connection paths
          RelayThroughput.stream(port, uuid, Math.min(size, 256L * 1024 * 1024));
        }
        for (int r = 0; r < rounds; r++) {
          for (Map.Entry<String, Integer> p : ports.entrySet()) {
            double v = RelayThroughput.stream(p.getValue(), uuid, size);
            mbps.get(p.getKey()).add(v);
            System.err.printf("round %d %-26s %8.1f MB/s%n", r + 1, p.getKey(), v);
          }
        }
        if (nginx != null) {
          nginx.close();
        }
        report(System.out, sizeMiB, rounds, mbps, handshakeMs);
        if (result != null) {
          Files.createDirectories(result.toAbsolutePath().getParent());
          try (PrintStream out = new PrintStream(Files.newOutputStream(result), true, StandardCharsets.UTF_8)) {
            report(out, sizeMiB, rounds, mbps, handshakeMs);
          }
        }
      } finally {
        for (Path3 p : paths) {
          p.gateway().close();
          p.transports().close();
          p.streamer().close();
          p.registry().close();
        }
      }
    }
  }

  /** A streamer (TLS listener unless {@code provider} is null) and a gateway whose hop to it matches. */
  private static Path3 start(String name, TlsProvider.Preference provider, LocalZooKeeper zk, Path jobs,
      TlsSettings base, String uuid) throws Exception {
    String root = "/bench-" + (provider == null ? "plain" : provider.name().toLowerCase(java.util.Locale.ROOT));
    Registry registry = Registry.connect(RegistrySettings.builder(zk.connectString()).root(root).build());
    SslContextFactory.Server serverTls = provider == null ? null
        : TlsContexts.server(base.toBuilder().provider(provider).build());
    Streamer streamer = new Streamer(StreamerSettings.builder().listenAddress("127.0.0.1").port(0)
        .hostname("localhost").jobDir(jobs).tenant("bench").sslContextFactory(serverTls).build(), registry);
    streamer.start();
    Map<String, String> settings = new LinkedHashMap<>();
    if (provider != null) {
      settings.put(TlsSettings.CERT_KEY, base.cert().toString());
      settings.put(TlsSettings.KEY_KEY, base.key().toString());
      settings.put(TlsSettings.CA_KEY, base.ca().toString());
      settings.put(TlsSettings.PROVIDER_KEY, provider.name().toLowerCase(java.util.Locale.ROOT));
    }
    Transports transports = Transports.load(TlsRelayThroughput.class.getClassLoader(), null,
        new TransportSettings(settings));
    // The streamer's entry says use_ssl when it has TLS: the gateway's hop to it follows (ZoneRouter).
    Gateway gateway = new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
        .build(), registry, transports);
    gateway.start();
    BenchLogs.awaitUnzonedBuild(registry, uuid);
    return new Path3(name, streamer, gateway, transports, registry);
  }

  /** Median milliseconds of a full mutual-TLS handshake (connect + handshake) to {@code port}. */
  private static double handshakes(TlsSettings settings, int port) throws Exception {
    SslContextFactory.Client client = TlsContexts.client(settings);
    client.start();
    try {
      List<Double> ms = new ArrayList<>();
      for (int i = 0; i < HANDSHAKE_WARMUP + HANDSHAKES; i++) {
        long start = System.nanoTime();
        try (SSLSocket s = (SSLSocket) client.getSslContext().getSocketFactory().createSocket("127.0.0.1", port)) {
          javax.net.ssl.SSLParameters p = s.getSSLParameters();
          p.setServerNames(List.of(new javax.net.ssl.SNIHostName("localhost")));
          p.setEndpointIdentificationAlgorithm("HTTPS");
          p.setProtocols(TlsSettings.PROTOCOLS);
          s.setSSLParameters(p);
          s.startHandshake();
          if (i >= HANDSHAKE_WARMUP) {
            ms.add((System.nanoTime() - start) / 1e6);
          }
        }
      }
      ms.sort(Double::compare);
      return ms.get(ms.size() / 2);
    } finally {
      client.stop();
    }
  }

  private static void report(PrintStream out, long sizeMiB, int rounds, Map<String, List<Double>> mbps,
      Map<String, Double> handshakeMs) {
    out.printf("TLS relay hop: %d MiB log, %d rounds, client -> gateway -(hop)-> streamer, median MB/s "
        + "(1 MB = 10^6 bytes), %d cores, Java %s, Conscrypt available: %s%n", sizeMiB, rounds,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), TlsProvider.conscryptAvailable());
    out.printf("| %-26s | %8s | %8s | %8s | %16s |%n", "hop", "median", "min", "max", "handshake ms");
    out.printf("|%s|%s|%s|%s|%s|%n", "-".repeat(28), "-".repeat(10), "-".repeat(10), "-".repeat(10), "-".repeat(18));
    for (Map.Entry<String, List<Double>> e : mbps.entrySet()) {
      List<Double> v = new ArrayList<>(e.getValue());
      v.sort(Double::compare);
      Double hs = handshakeMs.get(e.getKey());
      out.printf("| %-26s | %8.1f | %8.1f | %8.1f | %16s |%n", e.getKey(), v.get(v.size() / 2), v.get(0),
          v.get(v.size() - 1), hs == null ? "-" : String.format("%.2f", hs));
    }
    out.printf("handshake ms: median of %d full mutual-TLS 1.3 handshakes (TCP connect + handshake, as the client "
        + "sees it), client and server of the same provider, no session resumption%n", HANDSHAKES);
  }
}
