package org.fingerpost.registry.events;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/**
 * The shards of one side channel, as Zuul's {@code sharding.BufferedShardWriter} writes {@code
 * zlib.compress(json)}: from {@code model_api} {@value #ONE_STREAM_MODEL_API} on, one zlib stream cut
 * into shards of at most {@value ConnectionEventQueue#NODE_BYTE_SIZE_LIMIT} bytes; before that, the
 * JSON cut into pieces of {@value #OLD_FORMAT_PIECE_BYTES} bytes, each compressed on its own. Stateless.
 */
final class SideChannel {
  /** Zuul's {@code MODEL_API} that introduced the one-stream format. */
  static final int ONE_STREAM_MODEL_API = 31;
  /** Zuul's old format leaves 1 KiB of room per shard for each piece's own zlib header and trailer. */
  static final int OLD_FORMAT_PIECE_BYTES = ConnectionEventQueue.NODE_BYTE_SIZE_LIMIT - 1024;

  private SideChannel() {}

  /** The shard contents, in creation order, of the side channel holding {@code json} at {@code modelApi}. */
  static List<byte[]> shards(byte[] json, int modelApi) {
    List<byte[]> shards = new ArrayList<>();
    if (modelApi >= ONE_STREAM_MODEL_API) {
      byte[] compressed = zlib(json, 0, json.length);
      for (int off = 0; off < compressed.length; off += ConnectionEventQueue.NODE_BYTE_SIZE_LIMIT) {
        shards.add(Arrays.copyOfRange(compressed, off,
            Math.min(compressed.length, off + ConnectionEventQueue.NODE_BYTE_SIZE_LIMIT)));
      }
    } else {
      for (int off = 0; off < json.length; off += OLD_FORMAT_PIECE_BYTES) {
        shards.add(zlib(json, off, Math.min(json.length - off, OLD_FORMAT_PIECE_BYTES)));
      }
    }
    return shards;
  }

  /** Python's {@code zlib.compress(data)}: level 6 (Z_DEFAULT_COMPRESSION), zlib header and Adler-32. */
  static byte[] zlib(byte[] data, int offset, int length) {
    Deflater deflater = new Deflater(6);
    try {
      deflater.setInput(data, offset, length);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 2));
      byte[] chunk = new byte[64 * 1024];
      while (!deflater.finished()) {
        int n = deflater.deflate(chunk);
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }
}
