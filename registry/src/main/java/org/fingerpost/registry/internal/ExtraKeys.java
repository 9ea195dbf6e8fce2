package org.fingerpost.registry.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The keys of a component node that {@link org.fingerpost.registry.ComponentInfo} does not model,
 * kept as Jackson read them and written back unchanged, and the one of them Fingerpost reads: the
 * {@value #CAPABILITIES} list of protocol extensions.
 *
 * <p><b>Threads.</b> Stateless; the maps passed in are the caller's (not thread-safe while built).
 */
public final class ExtraKeys {
  /** The key under which a component advertises protocol extensions (a JSON list of strings). */
  public static final String CAPABILITIES = "capabilities";

  private ExtraKeys() {}

  /** The strings of the {@value #CAPABILITIES} list, empty when there is none (or it is not a list). */
  public static Set<String> capabilities(Map<String, Object> extra) {
    Object value = extra.get(CAPABILITIES);
    if (!(value instanceof Collection)) {
      return Set.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object o : (Collection<?>) value) {
      if (o != null) {
        out.add(o.toString());
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /** Sets the {@value #CAPABILITIES} list; empty removes the key. */
  public static void putCapabilities(Map<String, Object> extra, Collection<String> capabilities) {
    if (capabilities.isEmpty()) {
      extra.remove(CAPABILITIES);
    } else {
      extra.put(CAPABILITIES, List.copyOf(capabilities));
    }
  }

  /** Sets {@code key}; a null value removes it. */
  public static void put(Map<String, Object> extra, String key, Object value) {
    if (value == null) {
      extra.remove(key);
    } else {
      extra.put(Objects.requireNonNull(key, "key"), value);
    }
  }
}
