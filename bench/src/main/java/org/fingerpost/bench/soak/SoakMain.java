package org.fingerpost.bench.soak;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fault soak's load generator and judge (run by {@code bench/soak}, which starts the daemons
 * and writes the topology file): writes the builds' logs, runs the finger clients and websocket
 * viewers, injects the faults one after the other, measures each recovery, then drains, compares
 * every client's bytes with the logs and prints the table ({@link SoakReport}).
 *
 * <p>Usage: {@code SoakMain <topology.properties> <minutes> [result file]}; scale from the
 * environment ({@link SoakSettings}). Exit status 0 only when nothing was lost, duplicated or
 * corrupted and every fault was recovered from. Threads: the main thread runs the schedule.
 */
public final class SoakMain {
  /**
   * The daemons' {@code shared_window_bytes}: the soak keeps the default ({@code
   * SharedStreams.DEFAULT_WINDOW_BYTES}, not referenced: {@code bench/soak} compiles the load generator against the JDK only).
   */
  private static final long SHARED_WINDOW_BYTES = 4L * 1024 * 1024;

  /** A fault is started only if it can end this long before the load phase does (first cycle excepted). */
  private static final long MARGIN_MILLIS = 20_000;
  /** Longest wait for every client's first line after the start. */
  private static final int WARM_UP_SECONDS = 180;

  private final SoakSettings settings;
  private final Processes processes;
  private final long start = System.nanoTime();
  private final List<BuildLog> builds = new ArrayList<>();
  private final List<Viewer> finger = new ArrayList<>();
  private final List<Viewer> ws = new ArrayList<>();
  private final Viewer.Events fingerEvents = new Viewer.Events();
  private final Viewer.Events wsEvents = new Viewer.Events();
  private final SoakReport report = new SoakReport();

  private SoakMain(SoakSettings settings, Processes processes) {
    this.settings = settings;
    this.processes = processes;
  }

  public static void main(String[] args) throws Exception {
    Properties topology = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
      topology.load(r);
    }
    SoakSettings settings = SoakSettings.fromEnvironment(Double.parseDouble(args[1]));
    SoakMain soak = new SoakMain(settings, new Processes(topology));
    String table = soak.run();
    System.out.print(table);
    if (args.length > 2) {
      Files.writeString(Path.of(args[2]), table);
    }
    System.exit(soak.report.failures().isEmpty() ? 0 : 1);
  }

  private String run() throws Exception {
    createBuilds();
    LogWriter writer = new LogWriter(builds, settings.linesPerSecond());
    writer.start();
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    createViewers(timer);
    List<Viewer> all = new ArrayList<>(finger);
    all.addAll(ws);
    for (int i = 0; i < all.size(); i++) {
      all.get(i).start();
      if (i % 50 == 49) {
        Thread.sleep(100); // pacing the connects, as users arrive
      }
    }
    Recovery recovery = new Recovery(all, builds, processes, settings.recoveryTimeoutSeconds());
    say("waiting for every client's first line");
    long[] nothing = new long[builds.size()];
    Recovery warmUp = new Recovery(all, builds, processes, WARM_UP_SECONDS);
    if (!warmUp.await(System.nanoTime(), nothing, true, List.of()).recovered()) {
      report.fail("clients never started: " + warmUp.laggards(nothing, true));
      return finish(writer, timer, null, 0, List.of());
    }
    long loadStart = System.nanoTime();
    Viewer.Events.phase("00 load, before the first fault");
    ProcSampler sampler = new ProcSampler(processes, loadStart);
    long loadPlanned = (long) (settings.minutes() * 60_000);
    sampler.start(Math.min(TimeUnit.MINUTES.toMillis(1), loadPlanned / 2));
    say("load phase: " + settings.minutes() + " min");
    List<Faults.Result> results = faults(new Faults(processes, settings, recovery, writer, all), loadStart);
    long loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStart);
    sampler.probeHeaps(1);
    return finish(writer, timer, sampler, loadMillis, results);
  }

  private void createBuilds() throws IOException {
    long run = new SecureRandom().nextLong() >>> 1;
    for (int i = 0; i < settings.builds(); i++) {
      String zone = i % 2 == 0 ? "a" : "b";
      builds.add(BuildLog.create(i, "zone-" + zone, Path.of(processes.get("jobs." + zone)), run));
    }
  }

  private void createViewers(ScheduledExecutorService timer) {
    List<InetSocketAddress> gateways = new ArrayList<>();
    for (String address : processes.list("finger.addresses")) {
      int colon = address.lastIndexOf(':');
      gateways.add(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
    }
    for (int i = 0; i < settings.fingerClients(); i++) {
      finger.add(new FingerViewer(i, builds.get(i % builds.size()), fingerEvents, gateways, settings.offsetRequests()));
    }
    HttpClient http =
        HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(4))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    URI uri = URI.create("ws://" + processes.get("web.address") + "/api/tenant/" + processes.get("tenant") + "/console-stream");
    for (int i = 0; i < settings.wsViewers(); i++) {
      ws.add(new WsViewer(i, builds.get(i % builds.size()), wsEvents, http, uri, timer));
    }
  }

  private List<Faults.Result> faults(Faults faults, long loadStart) throws Exception {
    long deadline = loadStart + (long) (settings.minutes() * 60e9);
    List<Faults.Kind> kinds = settings.faults();
    List<Faults.Result> results = new ArrayList<>();
    for (int n = 0; ; n++) {
      Faults.Kind kind = kinds.get(n % kinds.size());
      int cycle = n / kinds.size();
      long needs = TimeUnit.SECONDS.toNanos(faults.durationSeconds(kind)) + TimeUnit.MILLISECONDS.toNanos(MARGIN_MILLIS);
      if (cycle > 0 && System.nanoTime() + needs > deadline) {
        break;
      }
      say("fault: " + kind.label);
      Viewer.Events.phase(String.format("%02d %s", n + 1, kind.name()));
      Faults.Result r = faults.inject(kind, cycle);
      results.add(r);
      say(String.format("  %s: clients whole again after %d ms, daemons serving after %d ms %s",
          r.target(), r.times().clientsMillis(), r.times().daemonsMillis(), r.detail()));
      Thread.sleep(settings.gapSeconds() * 1000L); // the schedule's quiet time between faults
    }
    Viewer.Events.phase(String.format("%02d quiet", results.size() + 1));
    long left = deadline - System.nanoTime();
    if (left > 0) {
      say("quiet until the end of the load phase");
      TimeUnit.NANOSECONDS.sleep(left);
    }
    return results;
  }

  private String finish(LogWriter writer, ScheduledExecutorService timer, ProcSampler sampler,
      long loadMillis, List<Faults.Result> results) throws Exception {
    writer.stop();
    Viewer.Events.phase("99 drain");
    long[] finalSizes = new Recovery(List.of(), builds, processes, 1).sizes();
    say("draining: every client must reach its build's final size");
    List<String> daemons = processes.names();
    Recovery drain = new Recovery(allViewers(), builds, processes, settings.recoveryTimeoutSeconds());
    if (!drain.await(System.nanoTime(), finalSizes, false, daemons).recovered()) {
      for (String d : daemons) {
        if (!processes.healthy(d)) {
          report.fail(d + " does not serve at the end");
        }
      }
      report.fail("drain incomplete after " + settings.recoveryTimeoutSeconds() + " s: " + drain.laggards(finalSizes, false));
    }
    if (sampler != null) {
      sampler.stop();
      sampler.probeHeaps(2); // every client has caught up: nothing in flight
    }
    for (Viewer v : allViewers()) {
      v.stop();
      v.check.finish(finalSizes[v.check.log().index]);
    }
    timer.shutdownNow();
    long fileErrors = 0;
    long written = 0;
    for (BuildLog b : builds) {
      fileErrors += b.checkFile();
      written += b.size();
      b.close();
    }
    report.header(String.format(
        "Fingerpost fault soak: %.1f min load phase (%d faults), %d builds (zone A plain, zone B TLS), "
            + "%d finger clients, %d websocket viewers; %,d log bytes written",
        loadMillis / 60000.0, results.size(), builds.size(), finger.size(), ws.size(), written));
    report.bytes(finger, ws, fileErrors);
    report.recoveries(results);
    if (sampler != null) {
      report.growth(sampler.samples(), sampler.liveHeaps(), loadMillis);
      long windows = 0;
      for (BuildLog b : builds) {
        // A build's shared window keeps its whole log until it passes the window, then nothing.
        windows += b.size() <= SHARED_WINDOW_BYTES ? b.size() : 0;
      }
      report.note(String.format("At the end the logs still within the %d MiB shared window total %.0f MiB: what a "
          + "node with viewers of every build keeps in its shared windows by design (`shared_window_bytes`), part "
          + "of its live heap.", SHARED_WINDOW_BYTES >> 20, windows / 1048576.0));
    }
    report.corruptionSamples(StreamCheck.samples());
    report.duplicateSamples(StreamCheck.duplicateSamples());
    report.events("finger clients", fingerEvents);
    report.events("websocket viewers", wsEvents);
    return report.text();
  }

  private List<Viewer> allViewers() {
    List<Viewer> all = new ArrayList<>(finger);
    all.addAll(ws);
    return all;
  }

  private void say(String line) {
    System.out.printf("[soak %6.1f s] %s%n", (System.nanoTime() - start) / 1e9, line);
    System.out.flush();
  }
}
