package org.fingerpost.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.api.CuratorEvent;
import org.fingerpost.registry.internal.Json;
import org.fingerpost.registry.internal.Names;
import org.fingerpost.registry.internal.RequestTreeCache;
import org.fingerpost.registry.internal.ZkReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a build's request node in Zuul's executor tree: {@code <root>/executor/unzoned/requests/<uuid>}
 * first, then {@code <root>/executor/zones/<zone>/requests/<uuid>} for every zone (read in parallel).
 *
 * <p><b>Reading.</b> A directory made with {@link #BuildDirectory(Registry)} reads ZooKeeper afresh on
 * every call. One made with {@link #watching(Registry)} keeps a watch-fed copy of the request queues
 * (only them, not the rest of Zuul's executor tree) and answers from it without touching ZooKeeper,
 * misses included once the copy is complete and has stayed connected since it was filled (an unknown
 * build id costs ZooKeeper nothing); until then, and while a new copy fills after a reconnection, a
 * build missing from the copy is read from ZooKeeper. Either way a disconnected registry fails at
 * once: the copy is never served while ZooKeeper is away, since it may be stale. Thread-safe; {@link
 * #close()} stops the watches.
 *
 * <p><b>Errors.</b> Not connected: {@link RegistryUnavailableException} at once, without touching
 * ZooKeeper. A connection lost during the call, or no answer within the read timeout ({@link
 * #READ_TIMEOUT} by default, for the whole call): the same exception. A node with bad JSON is skipped
 * with a warning (so the build counts as not found); a {@code worker_info} without a usable hostname
 * and {@code log_port} counts as not started, with a warning.
 */
public final class BuildDirectory implements java.io.Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(BuildDirectory.class);

  /** How long one {@link #find} may wait for ZooKeeper's answers in total. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private final Registry registry;
  private final ZkReads reads;
  /** Null: read ZooKeeper on every call. */
  private final RequestTreeCache cache;

  /** A directory reading through {@code registry} (not owned) with {@link #READ_TIMEOUT}. */
  public BuildDirectory(Registry registry) {
    this(registry, READ_TIMEOUT);
  }

  public BuildDirectory(Registry registry, Duration readTimeout) {
    this(registry, readTimeout, null);
  }

  private BuildDirectory(Registry registry, Duration readTimeout, RequestTreeCache cache) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.reads = new ZkReads(registry, Objects.requireNonNull(readTimeout, "readTimeout"));
    this.cache = cache;
  }

  /**
   * A directory answering from a watch-fed copy of the request queues (see the class comment); it
   * starts watching at once and the caller closes it.
   */
  public static BuildDirectory watching(Registry registry) {
    RequestTreeCache cache = new RequestTreeCache(registry);
    try {
      cache.start();
    } catch (Exception e) {
      LOG.warn("Cannot start the build request cache ({}); reading ZooKeeper on every lookup", e.toString());
      cache.close();
      return new BuildDirectory(registry, READ_TIMEOUT, null);
    }
    return new BuildDirectory(registry, READ_TIMEOUT, cache);
  }

  /** Whether lookups are answered from a copy that is complete (for tests and benchmarks). */
  public boolean isCacheReady() {
    return cache != null && cache.isInitialized();
  }

  /** Whether a miss in the watched copy is answered without reading ZooKeeper (see the class comment). */
  public boolean isCacheAuthoritative() {
    return cache != null && cache.isAuthoritative();
  }

  /** Waits up to {@code timeout} for the watch-fed copy to be complete; false without a copy. */
  public boolean awaitCacheReady(Duration timeout) throws InterruptedException {
    return cache != null && cache.awaitInitialized(timeout.toMillis());
  }

  /** Stops the watches of a {@link #watching} directory; nothing to do otherwise. Idempotent. */
  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
  }

  /** Whether {@code id} can be a build id (Zuul's uuid4 hex: hex digits only, not empty). */
  public static boolean isBuildId(String id) {
    return Names.isBuildId(id);
  }

  /** Where a build of {@code zone} (null: unzoned) is requested: Zuul's request node path. */
  public static String requestPath(Registry registry, String zone, String uuid) {
    Names.buildId(uuid);
    String z = Names.zone(zone);
    return z == null
        ? registry.path("executor", "unzoned", "requests", uuid)
        : registry.path("executor", "zones", Names.segment("zone", z), "requests", uuid);
  }

  /**
   * The build's request node, or empty when no queue has it.
   *
   * @param uuid the build id; hex digits only
   * @throws IllegalArgumentException when {@code uuid} is not hex digits (nothing else may reach a path)
   * @throws RegistryUnavailableException when ZooKeeper cannot answer (see the class comment)
   */
  public Optional<BuildInfo> find(String uuid) throws RegistryUnavailableException {
    Names.buildId(uuid);
    long deadline = reads.begin();
    if (cache != null && cache.isInitialized()) {
      // Read the authority first: a copy that turns authoritative meanwhile only costs one read.
      boolean authoritative = cache.isAuthoritative();
      Optional<BuildInfo> cached = fromCache(uuid);
      if (cached.isPresent() || authoritative) {
        // A miss in a full, connected copy is a miss in ZooKeeper: unknown ids cost ZooKeeper nothing
        // (issue 15, finding 6). A node created in the last milliseconds may not be seen yet, exactly
        // as an update to a cached node is seen a moment late.
        return cached;
      }
      // Not authoritative (a refill after a reconnection is under way): ask ZooKeeper.
    }

    String unzoned = requestPath(registry, null, uuid);
    Optional<BuildInfo> found = parse(unzoned, null, uuid, reads.data(reads.getData(unzoned), unzoned, deadline));
    if (found.isPresent()) {
      return found;
    }

    String zonesDir = registry.path("executor", "zones");
    List<String> zones = new ArrayList<>(reads.children(reads.getChildren(zonesDir), zonesDir, deadline));
    Collections.sort(zones);
    List<CompletableFuture<CuratorEvent>> pending = new ArrayList<>(zones.size());
    List<String> paths = new ArrayList<>(zones.size());
    for (String zone : zones) {
      // Zone names here come from ZooKeeper itself, so they are valid path segments already.
      String path = registry.path("executor", "zones", zone, "requests", uuid);
      paths.add(path);
      pending.add(reads.getData(path));
    }
    for (int i = 0; i < zones.size(); i++) {
      found = parse(paths.get(i), zones.get(i), uuid, reads.data(pending.get(i), paths.get(i), deadline));
      if (found.isPresent()) {
        return found;
      }
    }
    LOG.debug("Build {} not in any request queue ({} zones)", uuid, zones.size());
    return Optional.empty();
  }

  /**
   * Every build request the watched copy holds, in no particular order; never reads ZooKeeper (a list
   * is asked for often, by every open landing page). Nodes with unusable JSON are skipped.
   *
   * @throws RegistryUnavailableException when ZooKeeper is not connected, or this directory has no
   *     complete copy (made without {@link #watching}, or its first copy is still on its way)
   */
  public List<BuildSummary> list() throws RegistryUnavailableException {
    reads.begin();
    if (cache == null || !cache.isInitialized()) {
      throw new RegistryUnavailableException("The build request copy is not ready");
    }
    String zonesDir = registry.path("executor", "zones") + "/";
    List<BuildSummary> out = new ArrayList<>();
    for (org.apache.curator.framework.recipes.cache.ChildData d : cache.requestNodes()) {
      String path = d.getPath();
      String uuid = path.substring(path.lastIndexOf('/') + 1);
      String zone = path.startsWith(zonesDir) ? path.substring(zonesDir.length(), path.indexOf('/', zonesDir.length()))
          : null;
      Optional<BuildInfo> build = isBuildId(uuid) ? parse(path, zone, uuid, d.getData()) : Optional.empty();
      if (build.isPresent()) {
        out.add(summary(build.get(), d));
      }
    }
    return out;
  }

  private static BuildSummary summary(BuildInfo build, org.apache.curator.framework.recipes.cache.ChildData d) {
    JsonNode node;
    try {
      node = Json.tree(d.getData());
    } catch (IOException e) {
      node = Json.object(); // parse() accepted it a moment ago; cannot happen
    }
    java.time.Instant requested = d.getStat() == null ? java.time.Instant.EPOCH
        : java.time.Instant.ofEpochMilli(d.getStat().getCtime());
    JsonNode time = node.get("request_time"); // Zuul: seconds since the epoch, a float
    if (time != null && time.isNumber() && time.asDouble() > 0) {
      requested = java.time.Instant.ofEpochMilli((long) (time.asDouble() * 1000));
    }
    return new BuildSummary(build, Json.string(node.get("job_name")), Json.string(node.get("pipeline_name")),
        Json.string(node.get("project")), requested);
  }

  private Optional<BuildInfo> fromCache(String uuid) {
    String unzoned = requestPath(registry, null, uuid);
    Optional<BuildInfo> found = parse(unzoned, null, uuid, cache.data(unzoned));
    if (found.isPresent()) {
      return found;
    }
    for (String zone : cache.zones()) {
      String path = registry.path("executor", "zones", zone, "requests", uuid);
      found = parse(path, zone, uuid, cache.data(path));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<BuildInfo> parse(String path, String zone, String uuid, byte[] data) {
    if (data == null) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = Json.tree(data);
      if (!node.isObject()) {
        throw new IOException("not a JSON object");
      }
    } catch (IOException e) {
      LOG.warn("Ignoring build node {} with unusable data: {}", path, e.getMessage());
      return Optional.empty();
    }
    String id = Json.string(node.get("uuid"));
    WorkerInfo worker;
    try {
      worker = WorkerInfo.fromJson(node.get("worker_info"));
    } catch (IllegalArgumentException e) {
      LOG.warn("Build node {}: {}; treating the build as not started", path, e.getMessage());
      worker = null;
    }
    BuildInfo build = new BuildInfo(id != null ? id : uuid, Json.string(node.get("state")),
        Json.string(node.get("tenant_name")), worker, zone);
    LOG.debug("Build {} found at {}: {}", uuid, path, build);
    return Optional.of(build);
  }
}
