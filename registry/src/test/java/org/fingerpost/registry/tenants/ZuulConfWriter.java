package org.fingerpost.registry.tenants;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Deflater;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;

/**
 * Writes {@code /zuul/system/conf} the way Zuul's scheduler does ({@code SystemConfigCache.set}): under
 * the kazoo write lock {@code conf-lock}, the shard parent deleted recursively (truncate), then the
 * zlib-compressed sorted-key JSON written as sequential children {@code conf/0000000000, ...} of at most
 * {@code shardBytes} each (Zuul: 1,000,000; tests use less to get several shards).
 */
final class ZuulConfWriter {
  static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final CuratorFramework curator;
  private final String confPath;
  private final String lockPath;
  private final int shardBytes;

  ZuulConfWriter(CuratorFramework curator, String root, int shardBytes) {
    this.curator = curator;
    this.confPath = root + "/system/conf";
    this.lockPath = root + "/system/conf-lock";
    this.shardBytes = shardBytes;
  }

  /** The compressed document of {@code unparsedAbide}, as Zuul writes it. */
  static byte[] compress(Map<String, Object> unparsedAbide) throws Exception {
    byte[] json = SORTED.writeValueAsBytes(Map.of("unparsed_abide", unparsedAbide,
        "system_attributes", Map.of("use_relative_priority", false)));
    Deflater deflater = new Deflater();
    deflater.setInput(json);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    return out.toByteArray();
  }

  /** One complete write under the write lock. */
  void write(Map<String, Object> unparsedAbide) throws Exception {
    try (KazooLock lock = KazooLock.write(curator, lockPath).acquire(Duration.ofSeconds(10))) {
      truncate();
      writeShards(compress(unparsedAbide), Integer.MAX_VALUE);
    }
  }

  /** Deletes the shards (Zuul's truncate). */
  void truncate() throws Exception {
    if (curator.checkExists().forPath(confPath) != null) {
      curator.delete().deletingChildrenIfNeeded().forPath(confPath);
    }
  }

  /** One shard as kazoo creates it: {@code create("conf/", sequence=True)}, i.e. {@code conf/0000000000}. */
  void shard(byte[] bytes) throws Exception {
    if (curator.checkExists().forPath(confPath) == null) {
      curator.create().creatingParentsIfNeeded().forPath(confPath);
    }
    curator.getZookeeperClient().getZooKeeper().create(confPath + "/", bytes, ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT_SEQUENTIAL);
  }

  /** Writes the first {@code maxShards} shards of {@code data}; returns how many it wrote. */
  int writeShards(byte[] data, int maxShards) throws Exception {
    int n = 0;
    for (int off = 0; off < data.length && n < maxShards; off += shardBytes, n++) {
      shard(Arrays.copyOfRange(data, off, Math.min(data.length, off + shardBytes)));
    }
    return n;
  }
}
