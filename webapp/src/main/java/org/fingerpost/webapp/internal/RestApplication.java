package org.fingerpost.webapp.internal;

import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.auth.RestAccessFilter;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jersey application: the REST API, health, metrics and the page, all as singletons. Fingerpost's
 * own endpoints are under {@value Paths#OWN}; Zuul's shapes at Zuul's paths and the old paths are
 * registered only for a standalone web tier (no default route {@code /}: with one, those paths are the
 * backend's; docs/web-tier.md "Paths").
 */
public final class RestApplication {
  /**
   * Jersey warns that resource instances "do not implement any provider interfaces" and will be
   * ignored as providers, which is true and harmless (they are served as resources). Kept in a field:
   * JUL holds loggers weakly, and a collected logger would forget its level.
   */
  private static final java.util.logging.Logger PROVIDER_CHECK =
      java.util.logging.Logger.getLogger("org.glassfish.jersey.internal.inject.Providers");

  static {
    PROVIDER_CHECK.setLevel(java.util.logging.Level.SEVERE);
  }

  private RestApplication() {}

  /** Whether no default route ({@code /} in {@code web.routes}) fronts another web: then Zuul's paths are ours. */
  public static boolean isStandalone(WebServices services) {
    return !services.settings().routes().containsKey("/");
  }

  public static ResourceConfig create(WebServices services) {
    ResourceConfig config = new ResourceConfig();
    config.register(JacksonFeature.class);
    config.register(JsonProvider.class);
    config.register(JsonErrorMapper.class);
    ApiResource api = new ApiResource(services);
    config.register(api);
    config.register(new OpsResource(services));
    config.register(new PageResource());
    if (isStandalone(services)) {
      config.register(new ZuulApiResource(services, api));
      config.register(new StandalonePageResource());
    }
    // Read protection (docs/web-tier.md "Protecting logs").
    config.register(new RestAccessFilter(services.access()));
    config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
    // An error status without an entity (503 of /health/ready) stays as it is, with no error page:
    // the answers of OpsResource are Zuul's, empty bodies included.
    config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
    return config;
  }
}
