package org.fingerpost.registry;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;
import org.fingerpost.registry.internal.Names;
import org.fingerpost.registry.internal.ZkReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the registered components of one kind: the children of {@code <root>/components/<kind>}.
 *
 * <p>A directory made with the constructors reads ZooKeeper afresh on each call; the reads of one call
 * run in parallel and share one deadline, {@link #READ_TIMEOUT} by default. One made with {@link
 * #watching(Registry, String)} keeps a watch-fed copy ({@code CuratorCache}) of one kind and answers
 * for that kind from it, never while the registry is disconnected (the copy may be stale then).
 * Thread-safe; {@link #close()} stops the watches.
 *
 * <p><b>Errors.</b> A node that vanishes between listing and reading is skipped (debug log); one whose
 * JSON is bad (or lacks kind or hostname, or has an unknown state) is skipped with a warning. Not
 * connected, a connection lost during the call, or no answer in time: {@link
 * RegistryUnavailableException}, at once in the first case.
 */
public final class ComponentDirectory implements java.io.Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ComponentDirectory.class);

  /** How long one {@link #list} may wait for ZooKeeper's answers in total. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private final Registry registry;
  private final ZkReads reads;
  /** The kind {@link #cache} copies; null without a cache. */
  private final String cachedKind;
  private final CuratorCache cache;
  private final CountDownLatch cacheReady = new CountDownLatch(1);

  /** A directory reading through {@code registry} (not owned) with {@link #READ_TIMEOUT}. */
  public ComponentDirectory(Registry registry) {
    this(registry, READ_TIMEOUT);
  }

  public ComponentDirectory(Registry registry, Duration readTimeout) {
    this(registry, readTimeout, null);
  }

  private ComponentDirectory(Registry registry, Duration readTimeout, String cachedKind) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.reads = new ZkReads(registry, Objects.requireNonNull(readTimeout, "readTimeout"));
    this.cachedKind = cachedKind;
    if (cachedKind == null) {
      this.cache = null;
      return;
    }
    this.cache = CuratorCache.build(registry.curator(),
        registry.path("components", Names.segment("component kind", cachedKind)));
    cache.listenable().addListener(CuratorCacheListener.builder().forInitialized(cacheReady::countDown).build());
    cache.start();
  }

  /**
   * A directory answering for {@code kind} from a watch-fed copy (other kinds are read from
   * ZooKeeper); it starts watching at once and the caller closes it.
   */
  public static ComponentDirectory watching(Registry registry, String kind) {
    return new ComponentDirectory(registry, READ_TIMEOUT, Objects.requireNonNull(kind, "kind"));
  }

  /** Waits up to {@code timeout} for the copy to be complete; false without a copy. */
  public boolean awaitCacheReady(Duration timeout) throws InterruptedException {
    return cache != null && cacheReady.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the watches of a {@link #watching} directory. Idempotent. */
  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
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
    if (cache != null && kind.equals(cachedKind) && cacheReady.getCount() == 0) {
      return fromCache(dir);
    }
    return read(dir, deadline);
  }

  /**
   * As {@link #list}, always read from ZooKeeper (never the watched copy): for the rare question the
   * copy may answer a moment late, such as an executor that registered an instant ago.
   */
  public List<ComponentInfo> read(String kind) throws RegistryUnavailableException {
    String dir = registry.path("components", Names.segment("component kind", kind));
    return read(dir, reads.begin());
  }

  private List<ComponentInfo> read(String dir, long deadline) throws RegistryUnavailableException {
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

  private List<ComponentInfo> fromCache(String dir) {
    List<ChildData> nodes = new ArrayList<>();
    cache.stream().filter(d -> dir.equals(ZKPaths.getPathAndNode(d.getPath()).getPath())).forEach(nodes::add);
    nodes.sort(java.util.Comparator.comparing(ChildData::getPath));
    List<ComponentInfo> out = new ArrayList<>(nodes.size());
    for (ChildData d : nodes) {
      if (d.getData() == null) {
        continue;
      }
      try {
        out.add(ComponentInfo.fromJson(d.getData()));
      } catch (IOException e) {
        LOG.warn("Skipping component node {} with unusable data: {}", d.getPath(), e.getMessage());
      }
    }
    return Collections.unmodifiableList(out);
  }
}
