package org.fingerpost.registry.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;

/**
 * Zuul's read side, line by line: {@code ZooKeeperEventQueue._iterEvents} (sorted children, the
 * event's JSON, {@code event_data_path} read with {@code BufferedShardReader} and {@code
 * zlib.decompress}) and {@code RawShardIO.readall} (shards sorted by name; a second shard starting
 * with a zlib header that decompresses on its own switches to {@code readall_old}: every shard
 * decompressed, the whole compressed again). Test code.
 */
final class ZuulEventReader {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One event as Zuul's ConnectionEventQueue.iter yields it: the data, its node and czxid (the ltime). */
  record Event(String node, JsonNode eventData, long ltime) {}

  private ZuulEventReader() {}

  static List<Event> events(CuratorFramework zk, String eventRoot) throws Exception {
    List<String> names = new ArrayList<>(zk.getChildren().forPath(eventRoot));
    names.sort(null);
    List<Event> events = new ArrayList<>();
    for (String name : names) {
      String path = eventRoot + "/" + name;
      Stat stat = new Stat();
      byte[] data = zk.getData().storingStatIn(stat).forPath(path);
      ObjectNode event = (ObjectNode) JSON.readTree(data);
      JsonNode sideChannelPath = event.get("event_data_path");
      if (sideChannelPath != null && !sideChannelPath.asText().isEmpty()) {
        byte[] sideChannelData = decompress(readShards(zk, sideChannelPath.asText()));
        event.set("event_data", JSON.readTree(sideChannelData));
      }
      events.add(new Event(path, event.get("event_data"), stat.getCzxid()));
    }
    return events;
  }

  /** {@code RawShardIO.readall}. */
  static byte[] readShards(CuratorFramework zk, String path) throws Exception {
    List<String> shards = new ArrayList<>(zk.getChildren().forPath(path));
    shards.sort(null);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    for (int i = 0; i < shards.size(); i++) {
      byte[] data = zk.getData().forPath(path + "/" + shards.get(i));
      if (i == 1 && data.length >= 2 && (data[0] & 0xff) == 0x78 && (data[1] & 0xff) == 0x9c) {
        try {
          decompress(data);
          return readAllOld(zk, path, shards, buffer.toByteArray(), data);
        } catch (DataFormatException wrongGuess) {
          // "Perhaps we were wrong about the header"
        }
      }
      buffer.write(data);
    }
    return buffer.toByteArray();
  }

  /** {@code RawShardIO.readall_old}. */
  private static byte[] readAllOld(CuratorFramework zk, String path, List<String> shards, byte[] shard0,
      byte[] shard1) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    buffer.write(decompress(shard0));
    buffer.write(decompress(shard1));
    for (int i = 2; i < shards.size(); i++) {
      buffer.write(decompress(zk.getData().forPath(path + "/" + shards.get(i))));
    }
    byte[] all = buffer.toByteArray();
    return SideChannel.zlib(all, 0, all.length);
  }

  /** Python's {@code zlib.decompress}: one whole zlib stream, nothing after it. */
  static byte[] decompress(byte[] data) throws DataFormatException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[64 * 1024];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new DataFormatException("incomplete or truncated stream");
        }
        out.write(chunk, 0, n);
      }
      if (inflater.getRemaining() > 0) {
        throw new DataFormatException("Extra data after the zlib stream");
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }
}
