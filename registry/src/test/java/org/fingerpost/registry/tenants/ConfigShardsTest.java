package org.fingerpost.registry.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class ConfigShardsTest {
  private static final String DOC = "{\"unparsed_abide\": {\"tenants\": {\"t1\": {}}}, \"system_attributes\": {}}";

  private static byte[] zlib(byte[] data) {
    Deflater deflater = new Deflater();
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    return out.toByteArray();
  }

  @Test
  void oneStreamCutIntoShards() throws Exception {
    byte[] all = zlib(DOC.getBytes(StandardCharsets.UTF_8));
    int half = all.length / 2;
    Map<String, Object> abide = ConfigShards.unparsedAbide(
        List.of(Arrays.copyOfRange(all, 0, half), Arrays.copyOfRange(all, half, all.length)));
    assertEquals(Map.of("t1", Map.of()), abide.get("tenants"));
  }

  @Test
  void shardsCompressedOneByOneAsOldZuulWroteThem() throws Exception {
    byte[] doc = DOC.getBytes(StandardCharsets.UTF_8);
    int half = doc.length / 2;
    Map<String, Object> abide = ConfigShards.unparsedAbide(List.of(
        zlib(Arrays.copyOfRange(doc, 0, half)), zlib(Arrays.copyOfRange(doc, half, doc.length))));
    assertEquals(Map.of("t1", Map.of()), abide.get("tenants"));
  }

  @Test
  void missingShardTextOrObjectIsATornRead() {
    byte[] all = zlib(DOC.getBytes(StandardCharsets.UTF_8));
    assertThrows(ConfigShards.TornReadException.class,
        () -> ConfigShards.unparsedAbide(List.of(Arrays.copyOfRange(all, 0, all.length - 3))));
    assertThrows(ConfigShards.TornReadException.class,
        () -> ConfigShards.unparsedAbide(List.of(zlib("not json".getBytes(StandardCharsets.UTF_8)))));
    assertThrows(ConfigShards.TornReadException.class,
        () -> ConfigShards.unparsedAbide(List.of(zlib("{\"other\": 1}".getBytes(StandardCharsets.UTF_8)))));
  }
}
