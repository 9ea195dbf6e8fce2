package org.fingerpost.registry.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys and defaults of Zuul's component classes ({@code BaseComponent} and its subclasses in
 * {@code zuul/zk/components.py}), by kind, and the completion of a component node to carry all of
 * them, as Zuul's own writer does.
 *
 * <p><b>Threads.</b> Immutable; thread-safe.
 */
public final class ZuulComponentFields {
  /** By kind; {@code "*"} holds the keys every kind carries. Unmodifiable. */
  public static final Map<String, Map<String, Object>> BY_KIND = zuulFields();

  private ZuulComponentFields() {}

  /** Adds every key of Zuul's class for {@code kind} that {@code node} lacks, with Zuul's default. */
  public static void fillDefaults(String kind, ObjectNode node) {
    Map<String, Object> defaults = new LinkedHashMap<>(BY_KIND.get("*"));
    defaults.putAll(BY_KIND.getOrDefault(kind, Map.of()));
    defaults.forEach((key, value) -> {
      if (!node.has(key)) {
        node.set(key, Json.toTree(value));
      }
    });
  }

  private static Map<String, Map<String, Object>> zuulFields() {
    Map<String, Object> base = new LinkedHashMap<>();
    base.put("hostname", null);
    base.put("state", "stopped");
    base.put("kind", null);
    base.put("version", null);
    base.put("model_api", 0);
    Map<String, Object> executor = new LinkedHashMap<>();
    executor.put("accepting_work", false);
    executor.put("zone", null);
    executor.put("allow_unzoned", false);
    executor.put("process_merge_jobs", false);
    Map<String, Object> fingergw = new LinkedHashMap<>();
    fingergw.put("zone", null);
    fingergw.put("public_port", null);
    fingergw.put("use_ssl", false);
    Map<String, Object> launcher = new LinkedHashMap<>();
    launcher.put("connection_filter", null);
    Map<String, Map<String, Object>> all = new LinkedHashMap<>();
    all.put("*", Collections.unmodifiableMap(base));
    all.put("scheduler", Map.of());
    all.put("executor", Collections.unmodifiableMap(executor));
    all.put("merger", Map.of());
    all.put("fingergw", Collections.unmodifiableMap(fingergw));
    all.put("web", Map.of());
    all.put("launcher", Collections.unmodifiableMap(launcher));
    return Collections.unmodifiableMap(all);
  }
}
