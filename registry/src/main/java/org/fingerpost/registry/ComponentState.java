package org.fingerpost.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The lifecycle state of a registered component, as Zuul writes it in the {@code state} key of a
 * component node: the lower-case name ({@code initializing}, {@code running}, {@code paused}, {@code
 * stopped}). Only {@link #RUNNING} gateways are routed to.
 */
public enum ComponentState {
  /** Starting up; not serving yet. */
  INITIALIZING,
  /** Serving. */
  RUNNING,
  /** Up but not accepting new work. */
  PAUSED,
  /** Shutting down or stopped; written just before the node is deleted. */
  STOPPED;

  /** The JSON text: the lower-case name. */
  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the JSON text, ignoring case.
   *
   * @throws IllegalArgumentException for a value that is not one of the four states (a component
   *     entry holding one is skipped by {@link ComponentDirectory})
   */
  @JsonCreator
  public static ComponentState fromJson(String value) {
    if (value != null) {
      for (ComponentState s : values()) {
        if (s.name().equalsIgnoreCase(value.trim())) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException("Unknown component state: " + value);
  }
}
