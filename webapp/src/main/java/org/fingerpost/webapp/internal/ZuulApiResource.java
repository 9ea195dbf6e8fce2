package org.fingerpost.webapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.RegistryUnavailableException;
import org.fingerpost.webapp.WebServices;

/**
 * Zuul's shapes at Zuul's paths, for a standalone web tier (no default route: nothing else answers
 * them), so that Zuul's clients reading them work against Fingerpost (docs/web-tier.md "Paths"):
 *
 * <ul>
 *   <li>{@code /api/info} and {@code /api/tenant/{tenant}/info}: zuul-web's {@code WebInfo.toDict()}
 *       wrapped in {@code {"info": ...}}: {@code capabilities} ({@code job_history} false, since
 *       Fingerpost keeps no build history; {@code auth} from read protection), {@code websocket_url}
 *       null (Zuul's default: clients derive it from the page's address), {@code stats} ({@code prefix}
 *       null, {@code type} {@code graphite}, {@code url} null: no statsd), {@code tenant} for the
 *       second. Open to all, with {@code Access-Control-Allow-Origin: *}, as in Zuul;
 *   <li>{@code /api/components}: {@code {kind: [{"hostname", "state", "version"}]}} for the kinds of
 *       Zuul's component registry that have components;
 *   <li>{@code /api/tenant/{tenant}/build/{uuid}/stream}: the old path of Fingerpost's build route.
 * </ul>
 *
 * <p>JSON trees, not maps: Zuul writes its nulls and so must this (Jersey's mapper leaves null
 * properties out). Stateless; thread-safe.
 */
@Path("api")
@Produces(MediaType.APPLICATION_JSON)
public final class ZuulApiResource {
  /** The component kinds of Zuul's registry ({@code zuul/zk/components.py}), in Zuul's order. */
  static final List<String> KINDS = List.of("scheduler", "executor", "launcher", "merger", "fingergw", "web");
  /** Zuul's {@code [web] stats_type} default. */
  static final String STATS_TYPE = "graphite";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Maps to trees with their nulls kept (Jersey's mapper would drop them). */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final WebServices services;
  private final ApiResource own;

  public ZuulApiResource(WebServices services, ApiResource own) {
    this.services = services;
    this.own = own;
  }

  @GET
  @Path("info")
  public Response info() {
    return open(info(services.access().capabilities(null), null));
  }

  @GET
  @Path("tenant/{tenant}/info")
  public Response tenantInfo(@PathParam("tenant") String tenant) {
    return open(info(services.access().capabilities(tenant), tenant));
  }

  @GET
  @Path("components")
  public JsonNode components() throws RegistryUnavailableException {
    ObjectNode out = NODES.objectNode();
    for (String kind : KINDS) {
      for (ComponentInfo c : services.components().list(kind)) {
        ObjectNode m = (out.has(kind) ? (ArrayNode) out.get(kind) : out.putArray(kind)).addObject();
        m.put("hostname", c.hostname());
        m.put("state", c.state() == null ? null : c.state().toString().toLowerCase(Locale.ROOT));
        m.put("version", c.version());
      }
    }
    return out;
  }

  /** The old path of {@link ApiResource#route}, kept while no default route could claim it. */
  @GET
  @Path("tenant/{tenant}/build/{uuid}/stream")
  public Map<String, Object> route(@PathParam("tenant") String tenant, @PathParam("uuid") String uuid)
      throws RegistryUnavailableException {
    return own.route(tenant, uuid);
  }

  /** zuul-web's {@code {"info": WebInfo.toDict()}} with Fingerpost's values (see the class comment). */
  static ObjectNode info(Map<String, Object> auth, String tenant) {
    ObjectNode info = NODES.objectNode();
    ObjectNode capabilities = info.putObject("capabilities");
    capabilities.put("job_history", false);
    ObjectNode a = capabilities.putObject("auth");
    auth.forEach((k, v) -> a.set(k, MAPPER.valueToTree(v)));
    // zuul-web's [web] auth_log_file_requests: whether to send a token when fetching log files. The
    // live log needs no file fetch; false is Zuul's default.
    a.put("auth_log_file_requests", false);
    info.putNull("websocket_url");
    ObjectNode stats = info.putObject("stats");
    stats.putNull("prefix");
    stats.put("type", STATS_TYPE);
    stats.putNull("url");
    if (tenant != null) {
      info.put("tenant", tenant);
    }
    ObjectNode out = NODES.objectNode();
    out.set("info", info);
    return out;
  }

  private static Response open(JsonNode body) {
    return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Access-Control-Allow-Origin", "*").build();
  }
}
