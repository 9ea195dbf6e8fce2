package org.fingerpost.webapp.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fingerpost.registry.BuildInfo;
import org.fingerpost.registry.BuildSummary;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.RegistryUnavailableException;
import org.fingerpost.registry.WorkerInfo;
import org.fingerpost.transport.LogTransport;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.webapp.WebServices;

/**
 * Fingerpost's own API, under {@value Paths#API} (a prefix Zuul does not use, so it never hides a path
 * of a zuul-web behind Fingerpost): {@code info}, {@code components}, the route of a build's stream and
 * a tenant's running builds. Zuul's shapes of {@code /api/info} and {@code /api/components} are {@link
 * ZuulApiResource}'s. Read protection: {@code RestAccessFilter}. Stateless; thread-safe.
 */
@Path(Paths.API)
@Produces(MediaType.APPLICATION_JSON)
public final class ApiResource {
  /** The component kinds of Zuul's registry that {@code /api/components} lists. */
  static final List<String> KINDS = List.of("scheduler", "executor", "merger", "fingergw", "web", "launcher");
  /** What this web tier offers, for clients probing it. */
  static final List<String> CAPABILITIES = List.of("console-stream", "build-route", "components", "metrics",
      "routes");

  private final WebServices services;

  public ApiResource(WebServices services) {
    this.services = services;
  }

  @GET
  @Path("info")
  public Map<String, Object> info() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("version", WebServices.version());
    info.put("zone", services.settings().zone());
    info.put("capabilities", CAPABILITIES);
    info.put("transports", services.transports().names());
    info.put("routes", List.copyOf(services.settings().routes().keySet()));
    // Zuul's shape for its clients: info.capabilities.auth (realms, default_realm, read_protected).
    info.put("info", Map.of("capabilities", Map.of("auth", services.access().capabilities(null))));
    return info;
  }

  @GET
  @Path("components")
  public List<Map<String, Object>> components() throws RegistryUnavailableException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String kind : KINDS) {
      for (ComponentInfo c : services.components().list(kind)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", c.kind());
        m.put("hostname", c.hostname());
        m.put("zone", c.zone());
        m.put("state", c.state() == null ? null : c.state().toString().toLowerCase(Locale.ROOT));
        m.put("version", c.version());
        m.put("public_port", c.publicPort());
        m.put("tls", c.useSsl());
        out.add(m);
      }
    }
    return out;
  }

  /**
   * The tenant's builds from the watched copy of Zuul's build requests (never a ZooKeeper read): every
   * request not completed yet, oldest first, each {@code uuid}, {@code job}, {@code pipeline}, {@code
   * project} (null when the request has none), {@code state}, {@code zone} (the worker's, else the
   * request queue's), {@code executor} (the worker's hostname, null until it starts) and {@code
   * elapsed} (seconds since it was requested, by this node's clock).
   */
  @GET
  @Path("tenant/{tenant}/builds")
  public List<Map<String, Object>> builds(@PathParam("tenant") String tenant)
      throws RegistryUnavailableException {
    List<BuildSummary> all = services.builds().list();
    Instant now = Instant.now();
    List<Map<String, Object>> out = new ArrayList<>();
    all.stream().filter(b -> tenant.equals(b.build().tenantName()) && !b.isCompleted())
        .sorted(Comparator.comparing(BuildSummary::requested).thenComparing(b -> b.build().uuid()))
        .forEach(b -> out.add(build(b, now)));
    return out;
  }

  private static Map<String, Object> build(BuildSummary b, Instant now) {
    WorkerInfo worker = b.build().workerInfo();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", b.build().uuid());
    m.put("job", b.job());
    m.put("pipeline", b.pipeline());
    m.put("project", b.project());
    m.put("state", b.build().state());
    m.put("zone", worker != null && worker.zone() != null ? worker.zone() : b.build().requestZone());
    m.put("executor", worker == null ? null : worker.hostname());
    m.put("elapsed", Math.max(0, Duration.between(b.requested(), now).toSeconds()));
    return m;
  }

  /** Where the build runs and the hop a stream from this node would take: "why can't I see my log". */
  @GET
  @Path("tenant/{tenant}/build/{uuid}/stream")
  public Map<String, Object> route(@PathParam("tenant") String tenant, @PathParam("uuid") String uuid)
      throws RegistryUnavailableException {
    if (!uuid.matches("[0-9A-Fa-f]{1,64}")) {
      throw new ApiError(Response.Status.BAD_REQUEST, "Build ID " + uuid + " is not valid");
    }
    Optional<BuildInfo> build = services.builds().find(uuid);
    if (build.isEmpty() || !tenant.equals(build.get().tenantName())) {
      throw new ApiError(Response.Status.NOT_FOUND, StreamException.Kind.BUILD_NOT_FOUND.wireMessage());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("uuid", uuid);
    out.put("tenant", tenant);
    out.put("state", build.get().state());
    out.put("request_zone", build.get().requestZone());
    out.put("web_zone", services.settings().zone());
    WorkerInfo worker = build.get().workerInfo();
    if (worker == null) {
      out.put("message", StreamException.Kind.BUILD_NOT_STARTED.wireMessage());
      return out;
    }
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("hostname", worker.hostname());
    w.put("log_port", worker.logPort());
    w.put("zone", worker.zone());
    out.put("worker", w);
    StreamTarget target;
    try {
      target = services.router().resolve(uuid, tenant);
    } catch (StreamException e) {
      throw new ApiError(e.kind() == StreamException.Kind.INTERNAL ? Response.Status.SERVICE_UNAVAILABLE
          : Response.Status.NOT_FOUND, e.wireMessage());
    }
    out.put("route", target.route().name().toLowerCase(Locale.ROOT));
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("host", target.host());
    t.put("port", target.port());
    t.put("tls", target.tls());
    t.put("zone", target.zone());
    try {
      LogTransport transport = services.transports().select(target);
      t.put("transport", transport.name());
    } catch (StreamException e) {
      t.put("transport", null);
      out.put("message", "No transport can open this target: " + e.getMessage());
    }
    out.put("target", t);
    return out;
  }
}
