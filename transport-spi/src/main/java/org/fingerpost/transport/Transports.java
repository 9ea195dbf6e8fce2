package org.fingerpost.transport;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The transports of one daemon: discovered with {@link ServiceLoader} from a class loader and from a
 * {@code plugins/} directory of jars, started with the daemon's settings, and selected per target.
 *
 * <p>A plugin that fails to load or start is left out and recorded in {@link #problems()} (and
 * logged); it never stops the daemon. Thread-safe once built; {@link #close()} closes every transport.
 */
public final class Transports implements AutoCloseable {
  // java.util.logging keeps this module free of dependencies; SLF4J bridges pick it up in daemons.
  private static final Logger LOG = Logger.getLogger(Transports.class.getName());

  private final List<LogTransport> transports;
  private final List<String> problems;
  private final List<URLClassLoader> pluginLoaders;

  private Transports(List<LogTransport> transports, List<String> problems, List<URLClassLoader> loaders) {
    this.transports = List.copyOf(transports);
    this.problems = List.copyOf(problems);
    this.pluginLoaders = List.copyOf(loaders);
  }

  /**
   * Discovers the transports visible to {@code classLoader} and to the jars in {@code pluginsDir}
   * (ignored when null or missing), then starts each with {@code settings}.
   */
  public static Transports load(ClassLoader classLoader, Path pluginsDir, TransportSettings settings) {
    List<LogTransport> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<URLClassLoader> loaders = new ArrayList<>();
    collect(ServiceLoader.load(LogTransport.class, classLoader), null, "classpath", found, problems);
    for (Path jar : pluginJars(pluginsDir, problems)) {
      try {
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, classLoader);
        loaders.add(loader);
        int before = found.size();
        collect(ServiceLoader.load(LogTransport.class, loader), loader, jar.toString(), found, problems);
        if (found.size() == before) {
          problem(problems, "Plugin jar " + jar + " declares no working " + LogTransport.class.getName()
              + " in META-INF/services", null);
        }
      } catch (MalformedURLException e) {
        problem(problems, "Plugin jar " + jar + " cannot be loaded: " + e.getMessage(), e);
      }
    }
    return startAll(settings, found, problems, loaders);
  }

  /** The {@link TransportContext} of {@code owner}: every other transport of {@code self}. */
  private static TransportContext contextFor(LogTransport owner, AtomicReference<Transports> self) {
    return (target, sink) -> {
      Transports all = self.get();
      if (all == null) {
        sink.onError(new StreamException(StreamException.Kind.INTERNAL,
            "Transports still starting: cannot open " + target));
        return LogStream.CLOSED;
      }
      return all.openExcept(owner, target, sink);
    };
  }

  /**
   * Transports given directly, each started with {@code settings} and a {@link TransportContext} over
   * the others; for tests and embedding. A transport that fails to start is left out (see {@link
   * #problems()}).
   */
  public static Transports start(TransportSettings settings, LogTransport... transports) {
    return startAll(settings, List.of(transports), new ArrayList<>(), List.of());
  }

  /**
   * Starts each of {@code found} with {@code settings} and its {@link TransportContext}, leaving out
   * (and recording in {@code problems}) those that fail.
   */
  private static Transports startAll(TransportSettings settings, List<LogTransport> found,
      List<String> problems, List<URLClassLoader> loaders) {
    LOG.info(() -> "Transport SPI version " + LogTransport.SPI_VERSION + ": starting " + found.size()
        + " transport(s)");
    List<LogTransport> started = new ArrayList<>();
    // Contexts are handed out before the set is complete; they resolve it when first used.
    AtomicReference<Transports> self = new AtomicReference<>();
    for (LogTransport t : found) {
      try {
        t.start(settings, contextFor(t, self));
        started.add(t);
        LOG.info(() -> "Transport '" + t.name() + "' ready (" + t.getClass().getName() + ")");
      } catch (Exception | LinkageError e) {
        problem(problems, "Transport '" + t.getClass().getName() + "' failed to start and is disabled: " + e, e);
      }
    }
    Transports result = new Transports(started, problems, loaders);
    self.set(result);
    return result;
  }

  /** Transports given directly, already started; for tests and embedding. */
  public static Transports of(LogTransport... transports) {
    return new Transports(List.of(transports), List.of(), List.of());
  }

  private static void collect(ServiceLoader<LogTransport> loader, ClassLoader onlyFrom, String source,
      List<LogTransport> found, List<String> problems) {
    Iterator<ServiceLoader.Provider<LogTransport>> it = loader.stream().iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return;
        }
        ServiceLoader.Provider<LogTransport> provider = it.next();
        // A plugin loader also sees the parent's providers: take only the jar's own.
        if (onlyFrom != null && provider.type().getClassLoader() != onlyFrom) {
          continue;
        }
        found.add(provider.get());
      } catch (ServiceConfigurationError | LinkageError e) {
        problem(problems, "Broken transport in " + source + ": " + e.getMessage(), e);
        if (e instanceof ServiceConfigurationError && e.getCause() == null
            && String.valueOf(e.getMessage()).contains("Error reading configuration file")) {
          return;
        }
      }
    }
  }

  private static List<Path> pluginJars(Path dir, List<String> problems) {
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      problem(problems, "Cannot list plugin directory " + dir + ": " + e, e);
      return List.of();
    }
  }

  private static void problem(List<String> problems, String message, Throwable cause) {
    problems.add(message);
    LOG.log(Level.WARNING, message, cause);
  }

  /**
   * The transport that opens streams to {@code target}: the highest {@link LogTransport#priority()}
   * among those that {@link LogTransport#supports support} it.
   *
   * @throws StreamException ({@link StreamException.Kind#INTERNAL}) when none does
   */
  public LogTransport select(StreamTarget target) throws StreamException {
    return select(null, target);
  }

  private LogTransport select(LogTransport exclude, StreamTarget target) throws StreamException {
    return transports.stream()
        .filter(t -> t != exclude && t.supports(target))
        .max(Comparator.comparingInt(LogTransport::priority)
            .thenComparing(LogTransport::name, Comparator.reverseOrder()))
        .orElseThrow(() -> new StreamException(StreamException.Kind.INTERNAL,
            "No transport supports " + target + " (loaded: " + names() + ")"));
  }

  /**
   * Selects a transport for {@code target} and opens the stream; a selection failure is reported to
   * the sink like any other stream error.
   */
  public LogStream open(StreamTarget target, LogSink sink) {
    return openExcept(null, target, sink);
  }

  /**
   * As {@link #open}, never selecting {@code exclude} (null: any): how a transport delegates a hop to
   * the others ({@link TransportContext}).
   */
  private LogStream openExcept(LogTransport exclude, StreamTarget target, LogSink sink) {
    LogTransport transport;
    try {
      transport = select(exclude, target);
    } catch (StreamException e) {
      sink.onError(e);
      return LogStream.CLOSED;
    }
    return transport.open(target, sink);
  }

  /** The started transports, in discovery order. */
  public List<LogTransport> all() {
    return transports;
  }

  public List<String> names() {
    return transports.stream().map(LogTransport::name).collect(Collectors.toList());
  }

  /** What went wrong while loading or starting plugins, one readable line each. */
  public List<String> problems() {
    return problems;
  }

  @Override
  public void close() {
    for (LogTransport t : transports) {
      try {
        t.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "Closing transport " + t.name() + " failed", e);
      }
    }
    for (URLClassLoader loader : pluginLoaders) {
      try {
        loader.close();
      } catch (IOException e) {
        LOG.log(Level.FINE, "Closing plugin loader failed", e);
      }
    }
  }
}
