package org.fingerpost.registry.tenants;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Zuul's encoding of the system configuration in ZooKeeper ({@code zuul/zk/config_cache.py}): the
 * sequential shards concatenate to one zlib stream of JSON whose {@code unparsed_abide} object is what
 * {@link TenantConfig} keeps. Shards that do not decode are a torn read ({@link TornReadException}),
 * which {@link TenantConfig} retries.
 *
 * <p><b>Threads.</b> Stateless; thread-safe.
 */
final class ConfigShards {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigShards() {}

  /** The {@code unparsed_abide} object of the shards' document, as plain JSON values. */
  static Map<String, Object> unparsedAbide(List<byte[]> parts) throws TornReadException {
    byte[] json = inflate(parts);
    Map<String, Object> doc;
    try {
      doc = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new TornReadException("not JSON: " + e.getMessage());
    }
    Object abide = doc.get("unparsed_abide");
    if (!(abide instanceof Map<?, ?>)) {
      throw new TornReadException("no unparsed_abide object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) abide;
    return map;
  }

  /**
   * The shards' zlib stream inflated. Zuul before model API 31 compressed each shard on its own; that
   * form (a second shard starting with a zlib header that inflates alone) is read too.
   */
  static byte[] inflate(List<byte[]> parts) throws TornReadException {
    if (parts.size() > 1 && isZlibHeader(parts.get(1))) {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
          out.writeBytes(inflateWhole(p));
        }
        return out.toByteArray();
      } catch (TornReadException e) {
        // not the old format after all
      }
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    parts.forEach(all::writeBytes);
    return inflateWhole(all.toByteArray());
  }

  private static boolean isZlibHeader(byte[] b) {
    return b.length >= 2 && (b[0] & 0xff) == 0x78 && (b[1] & 0xff) == 0x9c;
  }

  private static byte[] inflateWhole(byte[] data) throws TornReadException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
      byte[] buf = new byte[64 * 1024];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new TornReadException("zlib stream truncated");
        }
        out.write(buf, 0, n);
      }
      if (inflater.getRemaining() > 0) {
        throw new TornReadException("bytes after the end of the zlib stream");
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new TornReadException("not a zlib stream: " + e.getMessage());
    } finally {
      inflater.end();
    }
  }

  /** The shards read do not form one valid document. */
  static final class TornReadException extends Exception {
    private static final long serialVersionUID = 1L;

    TornReadException(String message) {
      super(message, null, false, false);
    }
  }
}
