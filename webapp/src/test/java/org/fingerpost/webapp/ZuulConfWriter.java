package org.fingerpost.webapp;

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
import org.fingerpost.registry.tenants.KazooLock;

/**
 * Writes {@code /zuul/system/conf} as Zuul's scheduler does ({@code SystemConfigCache.set}): under
 * the kazoo write lock {@code conf-lock}, the shards truncated, then sorted-key JSON compressed with
 * zlib and cut into sequential shards ({@code conf/0000000000, ...}) of {@code shardBytes}.
 */
final class ZuulConfWriter {
  static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  static final String CONF = "/zuul/system/conf";
  static final String LOCK = "/zuul/system/conf-lock";

  private final CuratorFramework curator;
  private final int shardBytes;

  ZuulConfWriter(CuratorFramework curator, int shardBytes) {
    this.curator = curator;
    this.shardBytes = shardBytes;
  }

  static byte[] compress(Map<String, Object> unparsedAbide) throws Exception {
    byte[] json = SORTED.writeValueAsBytes(Map.of("unparsed_abide", unparsedAbide, "system_attributes", Map.of()));
    Deflater d = new Deflater();
    d.setInput(json);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  /** One complete write under the write lock. */
  void write(Map<String, Object> unparsedAbide) throws Exception {
    try (KazooLock lock = lock()) {
      truncate();
      shards(compress(unparsedAbide));
    }
  }

  /** Takes the write lock (the caller writes, then closes it). */
  KazooLock lock() throws Exception {
    return KazooLock.write(curator, LOCK).acquire(Duration.ofSeconds(10));
  }

  void truncate() throws Exception {
    if (curator.checkExists().forPath(CONF) != null) {
      curator.delete().deletingChildrenIfNeeded().forPath(CONF);
    }
  }

  void shards(byte[] data) throws Exception {
    if (curator.checkExists().forPath(CONF) == null) {
      curator.create().creatingParentsIfNeeded().forPath(CONF);
    }
    for (int off = 0; off < data.length; off += shardBytes) {
      curator.getZookeeperClient().getZooKeeper().create(CONF + "/",
          Arrays.copyOfRange(data, off, Math.min(data.length, off + shardBytes)), ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT_SEQUENTIAL);
    }
  }
}
