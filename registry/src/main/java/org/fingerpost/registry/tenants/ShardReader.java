package org.fingerpost.registry.tenants;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;

/**
 * One locked, verified read of Zuul's configuration shards: under the kazoo read lock, with the
 * parent's stat compared before and after (the consistency rules of {@link TenantConfig}'s class
 * comment). Sets the watches {@link TenantConfig} reacts to. Called on {@link TenantConfig}'s reader
 * thread only; holds no state between reads.
 */
final class ShardReader {
  private final CuratorFramework curator;
  private final String confPath;
  private final String lockPath;
  private final Duration lockTimeout;
  private final Watcher watcher;

  ShardReader(CuratorFramework curator, String confPath, String lockPath, Duration lockTimeout, Watcher watcher) {
    this.curator = curator;
    this.confPath = confPath;
    this.lockPath = lockPath;
    this.lockTimeout = lockTimeout;
    this.watcher = watcher;
  }

  /**
   * One read; null when the node changed during it (read again).
   *
   * @throws ConfigShards.TornReadException when the shards do not make one configuration
   * @throws Exception for the lock not had in time, or a ZooKeeper error
   */
  TenantConfig.Snapshot read() throws Exception {
    try (KazooLock lock = KazooLock.read(curator, lockPath).acquire(lockTimeout)) {
      // Watches first, so a change after this read is never missed.
      Stat before = curator.checkExists().usingWatcher(watcher).forPath(confPath);
      if (before == null) {
        return TenantConfig.Snapshot.absentConfig();
      }
      List<byte[]> parts = shards();
      if (parts == null) {
        return null;
      }
      Stat after = curator.checkExists().forPath(confPath);
      if (after == null || after.getCzxid() != before.getCzxid() || after.getCversion() != before.getCversion()) {
        return null;
      }
      if (parts.isEmpty()) {
        throw new ConfigShards.TornReadException("no shards under " + confPath);
      }
      Map<String, Object> map = ConfigShards.unparsedAbide(parts);
      return new TenantConfig.Snapshot(map, before.getCzxid(), false);
    }
  }

  /** The shards' data in name order, watching the list; null when a node went away meanwhile. */
  private List<byte[]> shards() throws Exception {
    List<String> shards;
    try {
      shards = new ArrayList<>(curator.getChildren().usingWatcher(watcher).forPath(confPath));
    } catch (KeeperException.NoNodeException e) {
      return null;
    }
    Collections.sort(shards);
    List<byte[]> parts = new ArrayList<>(shards.size());
    for (String shard : shards) {
      try {
        parts.add(curator.getData().forPath(confPath + "/" + shard));
      } catch (KeeperException.NoNodeException e) {
        return null;
      }
    }
    return parts;
  }
}
