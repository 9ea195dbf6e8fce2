package org.fingerpost.streams.internal;

import java.util.List;
import org.fingerpost.registry.BuildInfo;
import org.fingerpost.registry.ComponentDirectory;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.RegistryUnavailableException;
import org.fingerpost.registry.ZoneRouter;
import org.fingerpost.transport.StreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component listings of one request's routing, with registry trouble turned into the request's
 * {@code Internal streaming error} (logged). Stateless; blocks on ZooKeeper only where a directory
 * reads it (bounded by its read timeout). Not API.
 */
public final class RegistryReads {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryReads.class);

  private RegistryReads() {}

  /** The components of {@code kind} (from the directory's watched copy when it has one). */
  public static List<ComponentInfo> list(ComponentDirectory directory, String kind, String buildId)
      throws StreamException {
    try {
      return directory.list(kind);
    } catch (RegistryUnavailableException e) {
      LOG.warn("Registry is down: cannot list {} components for build {}: {}", kind, buildId, e.getMessage());
      throw StreamException.internal("Registry unavailable while listing " + kind + " components for build "
          + buildId, e);
    } catch (RuntimeException e) {
      LOG.error("Listing {} components for build {} failed", kind, buildId, e);
      throw StreamException.internal("Listing " + kind + " components for build " + buildId + " failed", e);
    }
  }

  /**
   * The registered executors, for the TLS and capabilities of a direct hop and the guard on it ({@link
   * ZoneRouter.Policy}). Unreadable, they fail the request: guessing plain could send a TLS streamer's
   * build id in clear text. When the watched copy has no entry for the build's worker, ZooKeeper itself
   * is asked (the executor may have registered an instant ago): only a worker that no executor serves
   * costs a read.
   */
  public static List<ComponentInfo> executors(ComponentDirectory executors, BuildInfo build)
      throws StreamException {
    List<ComponentInfo> entries = list(executors, ZoneRouter.EXECUTOR_KIND, build.uuid());
    if (ZoneRouter.executorEntry(entries, build.workerInfo()) != null) {
      return entries;
    }
    try {
      return executors.read(ZoneRouter.EXECUTOR_KIND);
    } catch (RegistryUnavailableException e) {
      LOG.warn("Registry is down: cannot read executor components for build {}: {}", build.uuid(), e.getMessage());
      throw StreamException.internal("Registry unavailable while reading executors for build " + build.uuid(), e);
    } catch (RuntimeException e) {
      LOG.error("Reading executor components for build {} failed", build.uuid(), e);
      throw StreamException.internal("Reading executors for build " + build.uuid() + " failed", e);
    }
  }
}
