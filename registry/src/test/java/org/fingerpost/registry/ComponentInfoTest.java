package org.fingerpost.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComponentInfoTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode tree(byte[] json) throws IOException {
    return JSON.readTree(json);
  }

  private static JsonNode tree(String json) throws IOException {
    return JSON.readTree(json);
  }

  @Test
  void writesEveryKeyOfZuulsClassSortedAsPythonDoes() throws Exception {
    ComponentInfo gw = ComponentInfo.builder("fingergw", "gw1.example.org")
        .state(ComponentState.RUNNING)
        .version("0.1.0")
        .modelApi(33)
        .zone("east")
        .publicPort(79)
        .useSsl(true)
        .build();
    // json.dumps(content, sort_keys=True) order; Zuul's FingerGatewayComponent keys, nothing missing.
    assertEquals("{\"hostname\":\"gw1.example.org\",\"kind\":\"fingergw\",\"model_api\":33,"
        + "\"public_port\":79,\"state\":\"running\",\"use_ssl\":true,\"version\":\"0.1.0\","
        + "\"zone\":\"east\"}", new String(gw.toJson(), UTF_8));

    // Unset values get Zuul's defaults, as Zuul's ExecutorComponent would write them.
    ComponentInfo executor = new ComponentInfo("executor", "ex1", ComponentState.PAUSED, null, null, null, null, null);
    assertEquals(tree("{\"kind\":\"executor\",\"hostname\":\"ex1\",\"state\":\"paused\",\"version\":null,"
        + "\"model_api\":0,\"accepting_work\":false,\"zone\":null,\"allow_unzoned\":false,"
        + "\"process_merge_jobs\":false}"), tree(executor.toJson()));
    // A kind Zuul does not know gets the base keys only.
    assertEquals(tree("{\"kind\":\"other\",\"hostname\":\"o\",\"state\":\"initializing\",\"version\":null,"
        + "\"model_api\":0}"), tree(ComponentInfo.builder("other", "o").build().toJson()));
  }

  @Test
  void modelApiAndTheFingerpostMarkerRoundTrip() throws Exception {
    ComponentInfo ours = ComponentInfo.builder("web", "w1").modelApi(34).extra(ComponentInfo.FINGERPOST, "1.0").build();
    ComponentInfo read = ComponentInfo.fromJson(ours.toJson());
    assertEquals(34, read.modelApi());
    assertTrue(read.isFingerpost());
    ComponentInfo zuul = ComponentInfo.fromJson(("{\"hostname\": \"zs\", \"kind\": \"scheduler\", "
        + "\"state\": \"running\", \"version\": \"11.2.0\"}").getBytes(UTF_8));
    assertNull(zuul.modelApi(), "no model_api key: Zuul counts it as 0");
    assertFalse(zuul.isFingerpost());
  }

  @Test
  void statesAreLowerCaseStrings() throws Exception {
    for (ComponentState s : ComponentState.values()) {
      ComponentInfo info = ComponentInfo.builder("web", "w").state(s).build();
      assertEquals(s.name().toLowerCase(java.util.Locale.ROOT), tree(info.toJson()).get("state").asText());
      assertEquals(s, ComponentState.fromJson(s.name().toLowerCase(java.util.Locale.ROOT)));
      assertEquals(s, ComponentState.fromJson(s.name()));
    }
    assertThrows(IllegalArgumentException.class, () -> ComponentState.fromJson("sleeping"));
  }

  @Test
  void roundTripKeepsUnknownFields() throws Exception {
    // What a Zuul executor writes, with keys this class does not model.
    String zuul = "{\"hostname\":\"ze01\",\"state\":\"running\",\"kind\":\"executor\",\"version\":\"10.0.0\","
        + "\"accepting_work\":true,\"zone\":null,\"allow_unzoned\":false,\"process_merge_jobs\":true,"
        + "\"metrics\":{\"load\":[1.5,2]},\"capabilities\":[\"resume\",\"gzip\"]}";
    ComponentInfo info = ComponentInfo.fromJson(zuul.getBytes(UTF_8));
    assertEquals("executor", info.kind());
    assertEquals("ze01", info.hostname());
    assertEquals(ComponentState.RUNNING, info.state());
    assertEquals("10.0.0", info.version());
    assertNull(info.zone());
    assertNull(info.publicPort());
    assertFalse(info.useSsl());
    assertNull(info.useSslValue());
    assertEquals(true, info.extra().get("accepting_work"));
    assertEquals(Set.of("resume", "gzip"), info.capabilities());

    JsonNode expected = tree(zuul);
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("model_api", 0); // Zuul's default
    assertEquals(expected, tree(info.toJson()));

    ComponentInfo paused = info.withState(ComponentState.PAUSED);
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("state", "paused");
    assertEquals(expected, tree(paused.toJson()));
    assertEquals(ComponentState.RUNNING, info.state(), "withState leaves the original alone");
    assertEquals(tree(paused.toJson()), tree(ComponentInfo.fromJson(paused.toJson()).toJson()));
  }

  @Test
  void readsZuulFingerGatewayEntry() throws Exception {
    ComponentInfo gw = ComponentInfo.fromJson(("{\"hostname\":\"fgw\",\"state\":\"running\",\"kind\":\"fingergw\","
        + "\"version\":\"9\",\"zone\":\"west\",\"public_port\":\"7979\",\"use_ssl\":true}").getBytes(UTF_8));
    assertEquals(7979, gw.publicPort());
    assertTrue(gw.useSsl());
    assertEquals("west", gw.zone());
    assertTrue(gw.isRunning());
    assertEquals(Set.of(), gw.capabilities());
    assertEquals(Map.of("hostname", "fgw", "state", "running", "kind", "fingergw", "version", "9", "zone", "west",
        "public_port", "7979", "use_ssl", "true"), gw.attributes());
  }

  @Test
  void attributesSpellEverythingAsStrings() {
    ComponentInfo gw = ComponentInfo.builder("fingergw", "g")
        .state(ComponentState.RUNNING)
        .publicPort(79)
        .capabilities(List.of("resume"))
        .extra("transport", "relay")
        .build();
    assertEquals(Map.of("kind", "fingergw", "hostname", "g", "state", "running", "public_port", "79",
        "capabilities", "[\"resume\"]", "transport", "relay"), gw.attributes());
    assertEquals(Set.of("resume"), gw.capabilities());
    assertEquals(gw, gw.toBuilder().build());
  }

  @Test
  void rejectsEntriesWithoutKindOrHostnameOrWithUnknownState() {
    assertThrows(IOException.class, () -> ComponentInfo.fromJson("{\"kind\":\"web\"}".getBytes(UTF_8)));
    assertThrows(IOException.class, () -> ComponentInfo.fromJson("{\"hostname\":\"h\"}".getBytes(UTF_8)));
    assertThrows(IOException.class, () -> ComponentInfo.fromJson(
        "{\"kind\":\"web\",\"hostname\":\"h\",\"state\":\"sleeping\"}".getBytes(UTF_8)));
    assertThrows(IOException.class, () -> ComponentInfo.fromJson("not json".getBytes(UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> ComponentInfo.builder("web", " ").build());
  }
}
