package org.fingerpost.streamer.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import org.fingerpost.registry.BuildPublisher;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.ComponentRegistration;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.WorkerInfo;
import org.fingerpost.registry.ZoneRouter;
import org.fingerpost.transport.finger.FingerRequest;

/**
 * The streamer's presence in the registry, through its lifecycle: its executor component entry
 * ({@code initializing} from {@link #register}, {@code running} from {@link #serving}, {@code
 * stopped} at {@link #close}) and, when it publishes builds, the build nodes of its job directory
 * ({@link BuildPublishing}, started once the finger port is known, since the nodes name it).
 *
 * <p><b>Threads and ownership.</b> The streamer owns it and calls {@link #register}, {@link #serving}
 * and {@link #close} in that order, one at a time (under its own lock); {@link #state} and {@link
 * #publishedBuilds} from any thread. The {@link Registry} is not owned. Registry trouble is logged and
 * retried by the registry classes, never thrown.
 */
public final class RegistryPresence implements AutoCloseable {
  /** What the component entry says of the streamer besides its state and port. */
  public record Identity(String kind, String hostname, String zone, String version, boolean useSsl) {
    public Identity {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(hostname, "hostname");
    }
  }

  private final Registry registry;
  private final Identity identity;
  private final ComponentRegistration registration;
  private volatile BuildPublishing publishing;

  /**
   * @param registry where to register; not owned
   * @param configuredPort the port entered while initializing (null: none known yet, port 0)
   */
  public RegistryPresence(Registry registry, Identity identity, Integer configuredPort) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.registration = new ComponentRegistration(registry,
        componentInfo(ComponentState.INITIALIZING, configuredPort));
  }

  /**
   * Registers the component as {@code initializing}; blocks at most a few seconds when ZooKeeper is
   * connected (until the node exists), returns at once otherwise.
   */
  public void register() {
    registration.start();
  }

  /**
   * The finger port listens: starts publishing the builds of {@code jobDir} when {@code builds} is
   * given (in the background, see {@link BuildPublishing}), then marks the component {@code running}.
   *
   * @param builds the tenant and the scan's notifier, threads and shutdown timeout; null: no build
   *     nodes ({@code publish_builds: false})
   */
  public void serving(int port, BuildNodes builds) {
    if (builds != null) {
      publishing = new BuildPublishing(new BuildPublisher(registry, builds.tenant(),
          new WorkerInfo(identity.hostname(), port, identity.zone())), builds.jobDir(), builds.notifier(),
          builds.threads(), builds.shutdownTimeout());
    }
    registration.update(componentInfo(ComponentState.RUNNING, port));
  }

  /** How the build nodes of {@link #serving} are published. */
  public record BuildNodes(String tenant, Path jobDir, FileChangeNotifier notifier, ThreadFactory threads,
      Duration shutdownTimeout) {}

  /** The registered state (Thread-safe, never blocks). */
  public ComponentState state() {
    return registration.state();
  }

  /** Whether build nodes are published. */
  public boolean publishesBuilds() {
    return publishing != null;
  }

  /** The builds found in the job directory and published; empty when not publishing. */
  public Set<String> publishedBuilds() {
    BuildPublishing p = publishing;
    return p == null ? Set.of() : p.published();
  }

  /**
   * Marks the component {@code stopped}, removes the build nodes (after the writes under way, at most
   * the shutdown timeout), then deregisters. Tolerates a presence that never got to {@link #serving}.
   */
  @Override
  public void close() {
    registration.setState(ComponentState.STOPPED);
    BuildPublishing p = publishing;
    if (p != null) {
      p.close();
    }
    registration.close();
  }

  private ComponentInfo componentInfo(ComponentState state, Integer logPort) {
    // Zuul's ExecutorComponent keys, honestly: a streamer takes no jobs and merges nothing, so Zuul's
    // scheduler never counts it as an executor accepting work.
    return ComponentInfo.builder(identity.kind(), identity.hostname())
        .state(state)
        .version(identity.version())
        .zone(identity.zone())
        .extra("accepting_work", false)
        .extra("allow_unzoned", false)
        .extra("process_merge_jobs", false)
        // The one way a hop to an executor becomes TLS (ZoneRouter): this entry saying so.
        .useSsl(identity.useSsl())
        .extra(ZoneRouter.LOG_PORT_KEY, logPort)
        .capabilities(List.of(FingerRequest.OFFSET_CAPABILITY))
        .build();
  }
}
