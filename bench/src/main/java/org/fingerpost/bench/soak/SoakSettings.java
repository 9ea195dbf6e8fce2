package org.fingerpost.bench.soak;

/**
 * The soak's scale and schedule, from environment variables (defaults: the topology): see
 * docs/operations.md "The fault soak" for each. Immutable.
 *
 * @param minutes length of the load phase (faults included), after the warm-up
 * @param builds builds appending lines, half in each zone
 * @param fingerClients finger clients, through zone A's gateways
 * @param wsViewers console-stream websocket viewers, through the web node
 * @param linesPerSecond lines each build appends per second
 * @param stopSeconds how long the gateway stays stopped (SIGSTOP)
 * @param partitionSeconds how long zone B stays cut off
 * @param slowSeconds how long the slow viewers read slowly
 * @param burstBytes bytes appended at once to each slow viewer's build when the slow phase starts
 * @param sessionTimeoutSeconds the daemons' ZooKeeper session timeout (the expiry fault outlasts it)
 * @param recoveryTimeoutSeconds a fault not recovered from within this is a failure
 * @param gapSeconds quiet time after a recovery before the next fault
 * @param offsetRequests finger clients resume with {@code <uuid>@<offset>} (else: from 0, skipping)
 * @param faults the fault kinds a cycle runs, in cycle order ({@code SOAK_FAULTS}: names, comma-separated)
 */
record SoakSettings(
    double minutes,
    int builds,
    int fingerClients,
    int wsViewers,
    double linesPerSecond,
    int stopSeconds,
    int partitionSeconds,
    int slowSeconds,
    int burstBytes,
    int sessionTimeoutSeconds,
    int recoveryTimeoutSeconds,
    int gapSeconds,
    boolean offsetRequests,
    java.util.List<Faults.Kind> faults) {

  static SoakSettings fromEnvironment(double minutes) {
    return new SoakSettings(
        minutes,
        integer("SOAK_BUILDS", 100),
        integer("SOAK_FINGER_CLIENTS", 300),
        integer("SOAK_WS_VIEWERS", 300),
        Double.parseDouble(env("SOAK_LINES_PER_SECOND", "5")),
        integer("SOAK_STOP_SECONDS", 20),
        integer("SOAK_PARTITION_SECONDS", 15),
        integer("SOAK_SLOW_SECONDS", 15),
        integer("SOAK_BURST_BYTES", 2 * 1024 * 1024),
        integer("SOAK_SESSION_TIMEOUT", 6),
        integer("SOAK_RECOVERY_TIMEOUT", 90),
        integer("SOAK_GAP_SECONDS", 3),
        !env("SOAK_FINGER_RESUME", "offset").equals("skip"),
        faults(env("SOAK_FAULTS", "")));
  }

  private static java.util.List<Faults.Kind> faults(String names) {
    if (names.isEmpty()) {
      return java.util.List.of(Faults.Kind.values());
    }
    java.util.List<Faults.Kind> kinds = new java.util.ArrayList<>();
    for (String name : names.split(",")) {
      kinds.add(Faults.Kind.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)));
    }
    return kinds;
  }

  private static int integer(String name, int fallback) {
    return Integer.parseInt(env(name, Integer.toString(fallback)));
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }
}
