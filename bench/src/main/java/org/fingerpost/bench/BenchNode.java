package org.fingerpost.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.fingerpost.gateway.Gateway;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.WebSettings;

/**
 * One Fingerpost component in its own JVM, so that a benchmark can read that process's own RSS,
 * threads and CPU time from {@code /proc}. Started by {@link ManyStreams}.
 *
 * <p>Usage: {@code BenchNode gateway <zkConnect>}, {@code BenchNode streamer <zkConnect> <jobDir>
 * <chunkBytes>} or {@code BenchNode web <zkConnect> <defaultRouteUrl>} (a web node whose route {@code
 * /} goes to that URL, as {@link ProxyBench} runs it). Prints {@code PORT <n>} once listening; then
 * answers each {@code STATS} line on stdin with {@code STATS <heapUsedBytes>}, each {@code GC} line with
 * {@code GC <heapUsedBytes after a full collection>}, and each {@code NMT}
 * line with the JVM's native memory summary (when started with {@code
 * -XX:NativeMemoryTracking=summary}) on one line, newlines as {@code \t}, prefixed {@code NMT };
 * exits when stdin closes (the parent went away).
 */
public final class BenchNode {
  private BenchNode() {}

  /** {@code jcmd <pid> VM.native_memory summary}, asked in-process; an explanation if unavailable. */
  static String nativeMemory() {
    try {
      javax.management.ObjectName name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
      return (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "vmNativeMemory",
          new Object[] {new String[] {"summary", "scale=MB"}}, new String[] {String[].class.getName()});
    } catch (Exception e) {
      return "native memory summary unavailable: " + e;
    }
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      // A node that cannot start must end (its non-daemon threads would keep it alive, and the
      // benchmark would wait for its PORT line for ever).
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0); // non-daemon pool threads must not keep an orphan alive
  }

  private static void run(String[] args) throws Exception {
    String role = args[0];
    try (Registry registry = Registry.connect(RegistrySettings.builder(args[1]).build())) {
      AutoCloseable node;
      int port;
      if (role.equals("gateway")) {
        Transports transports = Transports.load(BenchNode.class.getClassLoader(), null, TransportSettings.EMPTY);
        // Every benchmark client comes from this host: no per-client limits (issue 15's are for the field).
        Gateway gateway = new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("127.0.0.1").connectionLimits(org.fingerpost.transport.finger.ConnectionLimits.of(0, 0,
                org.fingerpost.transport.finger.ConnectionLimits.DEFAULT_ACCEPT_QUEUE))
            .lookupRateLimit(org.fingerpost.streams.LookupRateLimit.none()).build(), registry, transports);
        gateway.start();
        port = gateway.port();
        node = () -> {
          gateway.close();
          transports.close();
        };
      } else if (role.equals("web")) {
        Transports transports = Transports.load(BenchNode.class.getClassLoader(), null, TransportSettings.EMPTY);
        WebServices services = new WebServices(WebSettings.builder().listenAddress("127.0.0.1").port(0)
            .routes(Map.of("/", URI.create(args[2]))).build(), registry, transports);
        WebServer web = new WebServer(services);
        web.start();
        port = web.port();
        node = () -> {
          web.close();
          services.close();
          transports.close();
        };
      } else {
        Streamer streamer = new Streamer(StreamerSettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("127.0.0.1").jobDir(Path.of(args[2])).tenant("bench").chunkBytes(Integer.parseInt(args[3]))
            .build(), registry);
        streamer.start();
        port = streamer.port();
        node = streamer;
      }
      System.out.println("PORT " + port);
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("STATS")) {
          System.out.println("STATS " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
          System.out.flush();
        } else if (line.equals("GC")) {
          // Heap still in use after a full collection: what the open streams hold, not garbage.
          System.gc();
          System.out.println("GC " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
          System.out.flush();
        } else if (line.equals("NMT")) {
          System.out.println("NMT " + nativeMemory().replace('\n', '\t'));
          System.out.flush();
        }
      }
      node.close();
    }
  }
}
