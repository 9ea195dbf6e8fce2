package org.fingerpost.registry;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.utils.ZKPaths;
import org.fingerpost.registry.internal.Names;
import org.fingerpost.registry.internal.ZkReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the registered components of one kind: the children of {@code <root>/components/<kind>}.
 *
 * <p>Each call reads ZooKeeper afresh (a watch-fed cache is a later issue); the reads of one call run
 * in parallel and share one deadline, {@link #READ_TIMEOUT} by default. Thread-safe; stateless apart
 * from its configuration.
 *
 * <p><b>Errors.</b> A node that vanishes between listing and reading is skipped (debug log); one whose
 * JSON is bad (or lacks kind or hostname, or has an unknown state) is skipped with a warning. Not
 * connected, a connection lost during the call, or no answer in time: {@link
 * RegistryUnavailableException}, at once in the first case.
 */
public final class ComponentDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(ComponentDirectory.class);

  /** How long one {@link #list} may wait for ZooKeeper's answers in total. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private final Registry registry;
  private final ZkReads reads;

  /** A directory reading through {@code registry} (not owned) with {@link #READ_TIMEOUT}. */
  public ComponentDirectory(Registry registry) {
    this(registry, READ_TIMEOUT);
  }

  public ComponentDirectory(Registry registry, Duration readTimeout) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.reads = new ZkReads(registry, Objects.requireNonNull(readTimeout, "readTimeout"));
  }

  /**
   * The components of {@code kind} (for example {@code fingergw}) in any state, ordered by node name;
   * the caller filters by state and zone.
   *
   * @throws IllegalArgumentException when {@code kind} cannot be a path segment
   * @throws RegistryUnavailableException when ZooKeeper cannot answer (see the class comment)
   */
  public List<ComponentInfo> list(String kind) throws RegistryUnavailableException {
    String dir = registry.path("components", Names.segment("component kind", kind));
    long deadline = reads.begin();
    List<String> children = new ArrayList<>(reads.children(reads.getChildren(dir), dir, deadline));
    Collections.sort(children);
    List<CompletableFuture<CuratorEvent>> pending = new ArrayList<>(children.size());
    for (String child : children) {
      pending.add(reads.getData(ZKPaths.makePath(dir, child)));
    }
    List<ComponentInfo> out = new ArrayList<>(children.size());
    for (int i = 0; i < children.size(); i++) {
      String path = ZKPaths.makePath(dir, children.get(i));
      byte[] data = reads.data(pending.get(i), path, deadline);
      if (data == null) {
        LOG.debug("Component node {} vanished while listing; skipped", path);
        continue;
      }
      try {
        out.add(ComponentInfo.fromJson(data));
      } catch (IOException e) {
        LOG.warn("Skipping component node {} with unusable data: {}", path, e.getMessage());
      }
    }
    return Collections.unmodifiableList(out);
  }
}
