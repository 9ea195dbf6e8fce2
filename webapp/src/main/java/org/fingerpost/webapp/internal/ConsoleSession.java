package org.fingerpost.webapp.internal;

import jakarta.websocket.CloseReason;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
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
 * One console-stream websocket of docs/design.md 3.2, whatever container carries it ({@link
 * ConsoleSocket}): waits for the first message ({@link ConsoleRequest}), then streams the build's log
 * through the shared resolve-and-open path ({@link ConsoleStream}). Later messages are ignored.
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
 * is refused with 403 ({@link #originAllowed}).
 *
 * <p><b>Threads.</b> {@link #opened} and {@link #onText} come from the container, serially;
 * {@link #closed} and {@link #gone} from any thread, once the websocket closed or failed (either
 * may come twice).
 */
public final class ConsoleSession {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleSession.class);

  /** Where the console-stream websocket is, in the web tier's context (Zuul's path). */
  public static final String PATH = "/api/tenant/{tenant}/console-stream";
  /**
   * An oversized first message is read and dropped up to this many times {@code max_request_bytes}
   * (2 MiB by default) so that its sender gets the 1009 close cleanly; beyond it the connection is
   * closed at once.
   */
  public static final int OVERSIZE_DISCARD_FACTOR = 128;
  /** How long the websocket may carry nothing at all, not even a ping, in ping intervals. */
  static final int IDLE_PINGS = 3;
  private static final RateLimitedWarning REFUSED_ORIGINS = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);
  private static final RateLimitedWarning TOO_MANY = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);

  private final WebServices services;
  private final ConsoleFanout fanout;
  private final ConsoleSocket socket;
  private final String tenant;
  /** The client's address (no port) for the lookup rate; "unknown" when the container gave none. */
  private final String client;
  /** The upgrade request's bearer token, used when the first message has none; never logged. */
  private String headerToken;
  private final StringBuilder request = new StringBuilder();
  private long requestBytes;
  private boolean requested;
  /** Set when the websocket closed; guarded by {@code this} with {@link #stream}. */
  private boolean gone;
  /** Whether the websocket counts as open; guarded by {@code this}. */
  private boolean counted;
  private ConsoleStream stream;

  /**
   * @param client the client's address without port, or null when unknown
   * @param headerToken the upgrade's bearer token ({@link #bearer}), or null
   */
  ConsoleSession(WebServices services, ConsoleFanout fanout, ConsoleSocket socket, String tenant, String client,
      String headerToken) {
    this.services = services;
    this.fanout = fanout;
    this.socket = socket;
    this.tenant = tenant;
    this.client = client == null ? "unknown" : client;
    this.headerToken = headerToken;
  }

  /**
   * The websocket is open: counted in {@code fingerpost_web_websockets_open} until {@link #closed}.
   *
   * @return how long it may stay silent both ways before the container closes it ({@value #IDLE_PINGS}
   *     ping intervals)
   */
  Duration opened() {
    synchronized (this) {
      counted = true;
    }
    services.openSockets().incrementAndGet();
    return services.settings().pingInterval().multipliedBy(IDLE_PINGS);
  }

  /** The websocket closed: no longer counted (once), and its stream is freed. */
  void closed() {
    boolean uncount;
    synchronized (this) {
      uncount = counted;
      counted = false;
    }
    if (uncount) {
      services.openSockets().decrementAndGet();
    }
    gone();
  }

  /** The address of a client at {@code remote} without its port, or null when it has none. */
  static String clientAddress(SocketAddress remote) {
    return remote instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress() : null;
  }

  /**
   * Whether a browser page of {@code origin} may open a console stream on {@code host}: its own
   * host's pages and {@code web.allowed_origins}; a refusal is logged (rate-limited).
   */
  static boolean originAllowed(WebServices services, String origin, String host) {
    if (services.settings().consoleStreams().originAllowed(origin, host)) {
      return true;
    }
    REFUSED_ORIGINS.warn("Refused a console-stream websocket from origin " + origin + " (host " + host
        + "): not the host's and not in web.allowed_origins");
    return false;
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

  /** A part of a text message from the client; {@code last} ends the message. */
  void onText(String part, boolean last) {
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
        socket.close(ConsoleCloses.tooBig(limit));
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
      socket.close(ConsoleCloses.badRequest(e.getMessage()));
      return;
    }
    request.setLength(0);
    request.trimToSize();
    LOG.debug("Console stream of build {} (tenant {}) requested", parsed.uuid(), tenant);
    String token = parsed.token() != null ? parsed.token() : headerToken;
    headerToken = null;
    if (!services.access().needsCheck(tenant)) {
      start(parsed); // known rules, tenant not read-protected: no token looked at
      return;
    }
    // Usually decided at once (rules known, keys in memory: a signature check of some microseconds).
    AccessDecision now = services.access().authorizeIfReady(tenant, token, AuthError.MISSING_AUTH);
    if (now != null) {
      apply(now, parsed);
      return;
    }
    // Otherwise checking may wait for rules or an identity provider's keys: never on a container thread.
    try {
      services.lookups().execute(() -> authorizeThenStart(parsed, token));
    } catch (RejectedExecutionException e) {
      socket.close(ConsoleCloses.internalError());
    }
  }

  private void authorizeThenStart(ConsoleRequest parsed, String token) {
    AccessDecision decision;
    try {
      decision = services.access().authorize(tenant, token, AuthError.MISSING_AUTH);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      socket.close(ConsoleCloses.internalError());
      return;
    } catch (RuntimeException e) {
      LOG.error("Checking access to tenant {} failed", tenant, e);
      socket.close(ConsoleCloses.internalError());
      return;
    }
    apply(decision, parsed);
  }

  private void apply(AccessDecision decision, ConsoleRequest parsed) {
    CloseReason refusal = switch (decision.outcome()) {
      case GRANTED -> null;
      case REFUSED -> ConsoleCloses.badRequest(decision.error().name());
      case DENIED -> ConsoleCloses.badRequest(AccessDecision.AUTHORIZATION_ERROR);
      case UNAVAILABLE -> ConsoleCloses.notStreamed(AccessDecision.RULES_UNAVAILABLE);
    };
    if (refusal == null) {
      start(parsed);
    } else {
      socket.close(refusal);
    }
  }

  private void start(ConsoleRequest parsed) {
    LookupRateLimit lookups = services.settings().consoleStreams().lookups();
    if (!lookups.tryAcquire(client)) {
      TOO_MANY.warn("Refusing console streams to " + client + ": more than " + lookups.burst() + " at once or "
          + lookups.perSecond() + " a second (web.lookup_rate)");
      socket.close(ConsoleCloses.tryAgainLater(LookupRateLimit.REFUSAL));
      return;
    }
    ConsoleStream s = new ConsoleStream(socket, services, fanout, parsed.uuid());
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

  /** The websocket closed or failed: frees its stream. */
  void gone() {
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
