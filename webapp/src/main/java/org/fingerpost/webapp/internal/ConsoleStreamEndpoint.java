package org.fingerpost.webapp.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.fingerpost.streams.LookupRateLimit;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.RateLimitedWarning;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.auth.AccessDecision;
import org.fingerpost.webapp.auth.AuthError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console-stream websocket of docs/design.md 3.2 at {@value #PATH}: waits for the first message
 * ({@link ConsoleRequest}), then streams the build's log through the shared resolve-and-open path
 * ({@link ConsoleStream}). Later messages are ignored. One instance per websocket; the container
 * calls it serially.
 *
 * <p>Read protection: for a read-protected tenant the token of the first message (else the upgrade's
 * {@code Authorization: Bearer}) is checked before anything is opened — at once when the rules are
 * known and the keys in memory, else on a lookup thread; a refused
 * token closes 4000 with Zuul's error name, a valid token no rule grants 4000 {@code Authorization
 * error}, unknown rules 4011 {@code Access rules unavailable}. The token is checked once, never per chunk.
 *
 * <p>Close codes ({@link ConsoleCloses}): 1000 {@code No more data}; 4000 for an unusable first message (reason says which);
 * 4011 with the error text when the build cannot be streamed; 1011 {@code Remote error} when the
 * upstream is lost mid-stream and cannot be resumed while the build runs; 1009 for a first message
 * over {@code max_request_bytes}; 1008 for a client that cannot keep up; 1013 {@code Too many
 * requests} past the client address's lookup rate ({@link org.fingerpost.webapp.ConsoleStreamPolicy}).
 * An upgrade from a browser page of another origin than the request's host and {@code allowed_origins}
 * is refused with 403.
 */
public final class ConsoleStreamEndpoint extends Endpoint {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleStreamEndpoint.class);

  public static final String PATH = "/api/tenant/{tenant}/console-stream";
  /** Where the containers (Jetty, Tomcat) put the client's address among the user properties. */
  static final String REMOTE_ADDRESS_PROPERTY = "jakarta.websocket.endpoint.remoteAddress";
  private static final RateLimitedWarning REFUSED_ORIGINS = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);
  private static final RateLimitedWarning TOO_MANY = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);
  /**
   * An oversized first message is read and dropped up to this many times {@code max_request_bytes}
   * (2 MiB by default) so that its sender gets the 1009 close cleanly; beyond it the connection is
   * closed at once.
   */
  public static final int OVERSIZE_DISCARD_FACTOR = 128;
  /** How long the websocket may carry nothing at all, not even a ping, in ping intervals. */
  static final int IDLE_PINGS = 3;

  private final WebServices services;
  private final ConsoleFanout fanout;
  private Session session;
  private ConsoleStream stream;
  private final StringBuilder request = new StringBuilder();
  private long requestBytes;
  private boolean requested;
  /** The upgrade request's bearer token, used when the first message has none; never logged. */
  private String headerToken;
  /** The client's address (no port) for the lookup rate; "unknown" when the container gave none. */
  private String client = "unknown";
  /** Set when the websocket closed; guarded by {@code this} with {@link #stream}. */
  private boolean gone;
  /** Where the upgrade's bearer token waits for {@link #onOpen}. */
  static final String BEARER_PROPERTY = "org.fingerpost.webapp.bearer";

  ConsoleStreamEndpoint(WebServices services, ConsoleFanout fanout) {
    this.services = services;
    this.fanout = fanout;
  }

  /** The endpoint's configuration, to add to the container's {@code ServerContainer}. */
  public static ServerEndpointConfig config(WebServices services) {
    ConsoleFanout fanout = ConsoleFanout.of(services); // one per node: shared decoding, send budget
    return ServerEndpointConfig.Builder.create(ConsoleStreamEndpoint.class, PATH)
        .configurator(new ServerEndpointConfig.Configurator() {
          @Override
          public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new ConsoleStreamEndpoint(services, fanout));
          }

          @Override
          public boolean checkOrigin(String origin) {
            String host = RequestHost.current();
            if (services.settings().consoleStreams().originAllowed(origin, host)) {
              return true;
            }
            REFUSED_ORIGINS.warn("Refused a console-stream websocket from origin " + origin + " (host " + host
                + "): not the host's and not in web.allowed_origins");
            return false;
          }

          @Override
          public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            // The containers (Jetty, Tomcat) hand each upgrade its own copy of the config's properties.
            String token = bearer(request.getHeaders().get("Authorization"));
            if (token != null) {
              sec.getUserProperties().put(BEARER_PROPERTY, token);
            }
          }

          @Override
          public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            // permessage-deflate is what browsers ask for; web.websocket_compression decides.
            return services.settings().websocketCompression()
                ? super.getNegotiatedExtensions(installed, requested) : List.of();
          }
        })
        .build();
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or null. */
  static String bearer(List<String> authorization) {
    if (authorization == null) {
      return null;
    }
    for (String h : authorization) {
      if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) && !h.substring(7).isBlank()) {
        return h.substring(7).trim();
      }
    }
    return null;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    this.session = session;
    Object bearer = config.getUserProperties().remove(BEARER_PROPERTY);
    this.headerToken = bearer instanceof String t ? t : null;
    if (config.getUserProperties().get(REMOTE_ADDRESS_PROPERTY) instanceof InetSocketAddress a && a.getAddress() != null) {
      client = a.getAddress().getHostAddress();
    }
    services.openSockets().incrementAndGet();
    session.setMaxIdleTimeout(services.settings().pingInterval().toMillis() * IDLE_PINGS);
    session.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onText);
  }

  private void onText(String part, boolean last) {
    if (requested) {
      return; // docs/design.md 3.2: later messages are ignored
    }
    requestBytes += part.getBytes(StandardCharsets.UTF_8).length;
    int limit = services.settings().maxRequestBytes();
    if (requestBytes > limit) {
      request.setLength(0);
      // Closing in the middle of a message makes the container drop the connection at once, and a
      // client still sending sees a reset instead of 1009: drop the rest of the message, then close.
      if (last || requestBytes > (long) limit * OVERSIZE_DISCARD_FACTOR) {
        requested = true;
        close(ConsoleCloses.tooBig(limit));
      }
      return;
    }
    request.append(part);
    if (!last) {
      return;
    }
    requested = true;
    ConsoleRequest parsed;
    try {
      parsed = ConsoleRequest.parse(request.toString());
    } catch (ConsoleRequest.BadRequest e) {
      close(ConsoleCloses.badRequest(e.getMessage()));
      return;
    }
    request.setLength(0);
    String tenant = session.getPathParameters().get("tenant");
    LOG.debug("Console stream of build {} (tenant {}) requested", parsed.uuid(), tenant);
    String token = parsed.token() != null ? parsed.token() : headerToken;
    headerToken = null;
    if (!services.access().needsCheck(tenant)) {
      start(parsed, tenant); // known rules, tenant not read-protected: no token looked at
      return;
    }
    // Usually decided at once (rules known, keys in memory: a signature check of some microseconds).
    AccessDecision now = services.access().authorizeIfReady(tenant, token, AuthError.MISSING_AUTH);
    if (now != null) {
      apply(now, parsed, tenant);
      return;
    }
    // Otherwise checking may wait for rules or an identity provider's keys: never on a container thread.
    try {
      services.lookups().execute(() -> authorizeThenStart(parsed, tenant, token));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      close(ConsoleCloses.internalError());
    }
  }

  private void authorizeThenStart(ConsoleRequest parsed, String tenant, String token) {
    AccessDecision decision;
    try {
      decision = services.access().authorize(tenant, token, AuthError.MISSING_AUTH);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(ConsoleCloses.internalError());
      return;
    } catch (RuntimeException e) {
      LOG.error("Checking access to tenant {} failed", tenant, e);
      close(ConsoleCloses.internalError());
      return;
    }
    apply(decision, parsed, tenant);
  }

  private void apply(AccessDecision decision, ConsoleRequest parsed, String tenant) {
    switch (decision.outcome()) {
      case GRANTED -> start(parsed, tenant);
      case REFUSED -> close(ConsoleCloses.badRequest(decision.error().name()));
      case DENIED -> close(ConsoleCloses.badRequest(AccessDecision.AUTHORIZATION_ERROR));
      case UNAVAILABLE -> close(ConsoleCloses.notStreamed(AccessDecision.RULES_UNAVAILABLE));
    }
  }

  private void start(ConsoleRequest parsed, String tenant) {
    LookupRateLimit lookups = services.settings().consoleStreams().lookups();
    if (!lookups.tryAcquire(client)) {
      TOO_MANY.warn("Refusing console streams to " + client + ": more than " + lookups.burst() + " at once or "
          + lookups.perSecond() + " a second (web.lookup_rate)");
      close(ConsoleCloses.tryAgainLater(LookupRateLimit.REFUSAL));
      return;
    }
    ConsoleStream s = new ConsoleStream(session, services, fanout, parsed.uuid());
    synchronized (this) {
      if (gone) {
        return;
      }
      stream = s;
    }
    LogSink sink = parsed.offset() > 0 ? new CharBoundarySink(s) : s;
    LogStream u = services.sharedStreams().open(parsed.uuid(), tenant, parsed.offset(), sink);
    s.attach(u);
  }

  private void close(CloseReason reason) {
    try {
      session.close(reason);
    } catch (IOException e) {
      LOG.debug("Closing websocket failed: {}", e.toString());
    }
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    services.openSockets().decrementAndGet();
    gone();
  }

  @Override
  public void onError(Session session, Throwable error) {
    LOG.debug("Websocket error: {}", error.toString());
    gone();
  }

  private void gone() {
    ConsoleStream s;
    synchronized (this) {
      gone = true;
      s = stream;
    }
    if (s != null) {
      s.clientGone();
    }
  }

}
