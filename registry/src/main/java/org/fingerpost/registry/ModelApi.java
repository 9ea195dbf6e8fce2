package org.fingerpost.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;
import org.fingerpost.registry.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code model_api} Fingerpost's components register with, so that they never lower Zuul's
 * system data-model version (docs/design.md 3.3).
 *
 * <p>Zuul takes the minimum {@code model_api} over every node of its component kinds ({@link
 * #ZUUL_KINDS}) under {@code <root>/components/}, a node without the key counting as 0 ({@code
 * ComponentRegistry.getMinimumModelApi}). This class computes the same minimum over the nodes that are
 * <em>not</em> Fingerpost's (those carrying {@link ComponentInfo#FINGERPOST}) from a watch-fed copy,
 * and {@link #current()} is:
 * <ol>
 *   <li>that minimum while any Zuul component is registered (so a rolling upgrade from 33 to 34 ends
 *       with Fingerpost at 34 once the last Zuul component runs 34);
 *   <li>the last such minimum once they have all gone (a Zuul component restarting must not find the
 *       system lowered to a default in the meantime);
 *   <li>the configured {@link RegistrySettings#modelApi()} before any Zuul component has been seen.
 * </ol>
 * Registering at that value never lowers the minimum Zuul computes.
 *
 * <p><b>Lifecycle and threads.</b> Owned by its {@link Registry} ({@link Registry#modelApi()}), which
 * starts it on first use and closes it. Thread-safe. Listeners are called on Curator's event thread
 * with the new value, after the copy first loads and on every change; they must not block.
 */
public final class ModelApi implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelApi.class);

  /** The component kinds Zuul counts ({@code ComponentRegistry.COMPONENT_CLASSES}). */
  public static final Set<String> ZUUL_KINDS = Set.of("scheduler", "executor", "merger", "fingergw", "web",
      "launcher");

  private final String componentsPath;
  private final CuratorCache cache;
  private final List<IntConsumer> listeners = new CopyOnWriteArrayList<>();
  /** Tasks waiting for the first load; guarded by {@link #lock}. */
  private final List<Runnable> onInitialized = new java.util.ArrayList<>();
  private final CountDownLatch initialized = new CountDownLatch(1);
  private final Object lock = new Object();
  private Integer followed;
  private volatile int current;

  ModelApi(Registry registry) {
    Objects.requireNonNull(registry, "registry");
    this.current = registry.config().modelApi();
    this.componentsPath = registry.path("components");
    this.cache = CuratorCache.build(registry.curator(), componentsPath);
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, oldData, data) -> {
          if (initialized.getCount() == 0) {
            recompute();
          }
        })
        .forInitialized(this::loaded)
        .build());
  }

  void start() {
    cache.start();
  }

  private void loaded() {
    recompute();
    List<Runnable> tasks;
    synchronized (lock) {
      initialized.countDown();
      tasks = List.copyOf(onInitialized);
      onInitialized.clear();
    }
    tasks.forEach(Runnable::run);
  }

  /** The {@code model_api} to register with now (see the class comment). */
  public int current() {
    return current;
  }

  /** Whether the copy of the components has loaded once (until then {@link #current()} is a guess). */
  public boolean isInitialized() {
    return initialized.getCount() == 0;
  }

  /** Waits up to {@code timeout} for the first load; returns whether it happened. */
  public boolean awaitInitialized(Duration timeout) throws InterruptedException {
    return initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code task} once the copy has loaded: now, on the calling thread, if it has; else on
   * Curator's event thread when it does.
   */
  public void whenInitialized(Runnable task) {
    Objects.requireNonNull(task, "task");
    synchronized (lock) {
      if (!isInitialized()) {
        onInitialized.add(task);
        return;
      }
    }
    task.run();
  }

  /** Calls {@code listener} with every new value of {@link #current()}. */
  public void addListener(IntConsumer listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(IntConsumer listener) {
    listeners.remove(listener);
  }

  private void recompute() {
    Integer minimum = zuulMinimum();
    int next;
    synchronized (lock) {
      if (minimum != null) {
        followed = minimum;
      }
      next = followed != null ? followed : current;
      if (next == current) {
        return;
      }
      LOG.info("Zuul's components are at data model version (model_api) {}; Fingerpost's components follow "
          + "(were {})", next, current);
      current = next;
    }
    for (IntConsumer l : listeners) {
      l.accept(next);
    }
  }

  /** The minimum over Zuul's own components, Zuul's way; null when none is registered. */
  private Integer zuulMinimum() {
    Integer min = null;
    for (ChildData node : (Iterable<ChildData>) cache.stream()::iterator) {
      Integer v = zuulModelApi(node);
      if (v != null) {
        min = min == null ? v : Math.min(min, v);
      }
    }
    return min;
  }

  /** The node's {@code model_api} if it is a Zuul component (missing key: 0), else null. */
  private Integer zuulModelApi(ChildData node) {
    String parent = ZKPaths.getPathAndNode(node.getPath()).getPath();
    if (!componentsPath.equals(ZKPaths.getPathAndNode(parent).getPath())
        || !ZUUL_KINDS.contains(ZKPaths.getNodeFromPath(parent))) {
      return null;
    }
    JsonNode json;
    try {
      json = Json.tree(node.getData());
    } catch (IOException e) {
      LOG.debug("Component node {} unreadable, not counted: {}", node.getPath(), e.getMessage());
      return null;
    }
    if (!json.isObject() || json.has(ComponentInfo.FINGERPOST)) {
      return null;
    }
    JsonNode api = json.get("model_api");
    if (api == null || api.isNull()) {
      return 0;
    }
    if (!api.canConvertToInt() || !api.isIntegralNumber()) {
      LOG.warn("Component node {} has a model_api that is not an integer ({}); not counted", node.getPath(), api);
      return null;
    }
    return api.asInt();
  }

  @Override
  public void close() {
    cache.close();
  }

  @Override
  public String toString() {
    return "ModelApi{" + current + (isInitialized() ? "" : ", not loaded") + "}";
  }
}
