package org.fingerpost.webapp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.fingerpost.registry.RegistryUnavailableException;
import org.junit.jupiter.api.Test;

class JsonErrorMapperTest {
  private final JsonErrorMapper mapper = new JsonErrorMapper();

  @Test
  void anUnavailableRegistryIs503WithoutItsCause() {
    Response r = mapper.toResponse(new RegistryUnavailableException("ZooKeeper zk:2181 is not connected"));
    assertEquals(503, r.getStatus());
    assertEquals(Map.of("message", "Registry unavailable"), r.getEntity());
  }

  @Test
  void anApiErrorKeepsItsStatusAndMessageAndAnythingElseIs500() {
    assertEquals(Map.of("message", "Build not found"),
        mapper.toResponse(new ApiError(Response.Status.NOT_FOUND, "Build not found")).getEntity());
    Response r = mapper.toResponse(new IllegalStateException("secret detail"));
    assertEquals(500, r.getStatus());
    assertEquals(Map.of("message", "Internal server error"), r.getEntity());
  }
}
