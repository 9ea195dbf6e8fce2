package org.fingerpost.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * What the registry says about one build: the build request node {@code
 * <root>/executor/unzoned/requests/<uuid>} or {@code <root>/executor/zones/<zone>/requests/<uuid>},
 * JSON {@code {"uuid", "state", "tenant_name", "worker_info": {...}}} (Zuul writes more keys; they are
 * ignored). Immutable and thread-safe.
 */
public final class BuildInfo {
  private final String uuid;
  private final String state;
  private final String tenantName;
  private final WorkerInfo workerInfo;
  private final String requestZone;

  /**
   * @param uuid the build id; required
   * @param state Zuul's request state ({@code requested}, {@code running}, ...), may be null
   * @param tenantName the tenant, may be null
   * @param workerInfo where the log is served; null until the build started
   * @param requestZone the zone in the node's path; null for the unzoned queue
   */
  public BuildInfo(String uuid, String state, String tenantName, WorkerInfo workerInfo, String requestZone) {
    this.uuid = Objects.requireNonNull(uuid, "uuid");
    this.state = state;
    this.tenantName = tenantName;
    this.workerInfo = workerInfo;
    this.requestZone = requestZone == null || requestZone.isBlank() ? null : requestZone;
  }

  public String uuid() {
    return uuid;
  }

  /** Zuul's request state, or null. */
  public String state() {
    return state;
  }

  /** The tenant, or null. */
  public String tenantName() {
    return tenantName;
  }

  /** Where the log is served, or null when the build has not started. */
  public WorkerInfo workerInfo() {
    return workerInfo;
  }

  /** {@link #workerInfo()} as an Optional. */
  public Optional<WorkerInfo> worker() {
    return Optional.ofNullable(workerInfo);
  }

  /** Whether the build has a {@code worker_info}, that is, its log can be streamed. */
  public boolean isStarted() {
    return workerInfo != null;
  }

  /** The zone of the request queue the node is in (from its path); null for the unzoned queue. */
  public String requestZone() {
    return requestZone;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BuildInfo)) {
      return false;
    }
    BuildInfo b = (BuildInfo) o;
    return uuid.equals(b.uuid) && Objects.equals(state, b.state) && Objects.equals(tenantName, b.tenantName)
        && Objects.equals(workerInfo, b.workerInfo) && Objects.equals(requestZone, b.requestZone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uuid, state, tenantName, workerInfo, requestZone);
  }

  @Override
  public String toString() {
    return "BuildInfo{" + uuid + ", state=" + state + ", tenant=" + tenantName + ", worker=" + workerInfo
        + ", requestZone=" + requestZone + "}";
  }
}
