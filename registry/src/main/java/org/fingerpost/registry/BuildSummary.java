package org.fingerpost.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * One build request as a list of builds shows it: {@link BuildInfo} plus the keys of Zuul's build
 * request a person recognises a build by ({@code job_name}, {@code pipeline_name}, and {@code project}
 * when the node has one: Zuul's own requests do not) and when it was requested ({@code request_time},
 * else the node's creation time). Immutable and thread-safe.
 *
 * @param build what {@link BuildDirectory#find} would say about the build
 * @param job Zuul's {@code job_name}, or null
 * @param pipeline Zuul's {@code pipeline_name}, or null
 * @param project a {@code project} key of the node, or null
 * @param requested Zuul's {@code request_time}, else the node's creation time
 */
public record BuildSummary(BuildInfo build, String job, String pipeline, String project, Instant requested) {
  public BuildSummary {
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(requested, "requested");
  }

  /** Whether Zuul is done with the build (state {@code completed}): its node is about to go. */
  public boolean isCompleted() {
    return "completed".equals(build.state());
  }
}
