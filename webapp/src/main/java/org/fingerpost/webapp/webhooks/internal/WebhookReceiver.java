package org.fingerpost.webapp.webhooks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.fingerpost.registry.RegistryUnavailableException;
import org.fingerpost.registry.events.EventQueues;
import org.fingerpost.registry.events.PythonJson;
import org.fingerpost.webapp.webhooks.ConnectionSettings;
import org.fingerpost.webapp.webhooks.WebhookConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks one webhook delivery as Zuul's driver would (and closes Zuul's gaps: SHA-256 signatures,
 * constant-time token comparison, 404/400/413 instead of a silent drop or a 500), builds the event
 * data Zuul's web server stores, and puts it into the connection's event queue. The returned future
 * completes with the queue node's path only after ZooKeeper confirmed it; otherwise it fails with a
 * {@link Refusal} and nothing is (or, after a lost connection, stays) written. One log line per
 * refusal with the reason and delivery id, never a secret or a signature. Thread-safe; the request
 * thread only reads the body and hashes it, the rest is asynchronous.
 */
public final class WebhookReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);
  /** Pagure project names as they may appear in its API path. */
  private static final Pattern PAGURE_PROJECT = Pattern.compile("[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+){0,2}");
  /** Characters of a delivery id not written to the log as they are. */
  private static final Pattern UNSAFE_ID_CHARS = Pattern.compile("[^A-Za-z0-9._:-]");
  /** Longest delivery id written to the log. */
  static final int MAX_LOGGED_ID = 64;

  private final WebhookConnections connections;
  private final EventQueues queues;
  private final WebhookMetrics metrics;
  private final EventJson json;
  private final PagureTokens pagureTokens;

  public WebhookReceiver(WebhookConnections connections, EventQueues queues, MeterRegistry meters) {
    this.connections = connections;
    this.queues = queues;
    this.metrics = new WebhookMetrics(meters);
    this.json = new EventJson(connections.maxBodyBytes());
    this.pagureTokens = new PagureTokens(connections.tokenLookupTimeout());
  }

  /**
   * Handles a delivery to connection {@code name}: refused before its body when the connection is
   * unknown (404) or the declared length is over {@code max_body_bytes} (413), so that a client
   * waiting for {@code 100 Continue} never sends it; else the body is read ({@link BodyCollector}: no
   * blocking on a non-blocking source, a 413 at the byte past the limit) and checked, and the event
   * put. Runs on the calling thread until the body must be waited for.
   *
   * @param headers the request headers, names lower-cased, repeated ones joined with {@code ", "}
   * @param remoteAddress the peer's IP address
   * @param contentLength the declared body length, -1 when unknown
   * @param body the request body, read only when nothing refuses the delivery before it
   * @return the queue node's path, or a failure with a {@link Refusal}
   */
  public CompletableFuture<String> receive(String name, Map<String, String> headers, String remoteAddress,
      long contentLength, Content.Source body) {
    if (!connections.connections().containsKey(name)) {
      return refuse(name, headers, remoteAddress, null);
    }
    if (contentLength > connections.maxBodyBytes()) {
      return refuse(name, headers, remoteAddress, Refusal.tooLarge(connections.maxBodyBytes()));
    }
    CompletableFuture<CompletableFuture<String>> read = new CompletableFuture<>();
    new BodyCollector(body, contentLength, connections.maxBodyBytes(), (bytes, length, refusal) ->
        read.complete(refusal == null ? receive(name, headers, remoteAddress, bytes, length)
            : refuse(name, headers, remoteAddress, refusal))).run();
    return read.thenCompose(outcome -> outcome);
  }

  /** A delivery to a known connection whose body was read in full: {@code body[0..length)}. */
  private CompletableFuture<String> receive(String name, Map<String, String> headers, String remoteAddress,
      byte[] body, int length) {
    long[] putStarted = new long[1]; // written before the put, read after it completes
    ConnectionSettings c = connections.connections().get(name);
    String delivery = deliveryId(headers);
    CompletableFuture<Void> verified;
    try {
      verified = verify(c, headers, remoteAddress, body, length);
    } catch (Refusal r) {
      return refused(c.name(), delivery, remoteAddress, r);
    }
    return verified.thenCompose(ok -> {
      JsonNode parsed;
      try {
        parsed = json.parse(body, length);
      } catch (IllegalArgumentException e) {
        throw new CompletionException(new Refusal(400, "invalid_json", e.getMessage()));
      }
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      if (c.driver() == ConnectionSettings.Driver.GITHUB) {
        ObjectNode h = data.putObject("headers");
        headers.forEach(h::put);
        data.set("body", parsed);
      } else {
        data.set("payload", parsed);
      }
      byte[] json = PythonJson.dumps(data);
      putStarted[0] = System.nanoTime();
      return queues.connection(c.name()).put(json);
    }).<CompletableFuture<String>>handle((path, error) -> {
      if (error == null) {
        metrics.accepted(c.name(), length, java.time.Duration.ofNanos(System.nanoTime() - putStarted[0]));
        return CompletableFuture.completedFuture(path);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      Refusal r;
      if (cause instanceof Refusal refusal) {
        r = refusal;
      } else if (cause instanceof RegistryUnavailableException) {
        LOG.debug("Delivery {} to {}: {}", delivery, c.name(), cause.getMessage());
        r = new Refusal(503, "registry_unavailable", "Event not stored: ZooKeeper unavailable; deliver it again.");
      } else {
        LOG.error("Delivery {} to {} failed", delivery, c.name(), cause);
        r = new Refusal(500, "internal_error", "Internal server error");
      }
      return this.<String>refused(c.name(), delivery, remoteAddress, r);
    }).thenCompose(f -> f);
  }

  /**
   * Refuses a delivery to {@code name} for {@code r} (counted and logged); to a connection that does
   * not exist (then {@code r} is null) with the unknown connection's 404.
   */
  private CompletableFuture<String> refuse(String name, Map<String, String> headers, String remoteAddress,
      Refusal r) {
    String delivery = deliveryId(headers);
    if (!connections.connections().containsKey(name)) {
      return refused(WebhookMetrics.UNKNOWN, delivery, remoteAddress,
          new Refusal(404, "unknown_connection", "No connection " + name + " receives webhooks here."));
    }
    return refused(name, delivery, remoteAddress, r);
  }

  private CompletableFuture<Void> verify(ConnectionSettings c, Map<String, String> headers, String remote,
      byte[] body, int length) throws Refusal {
    switch (c.driver()) {
      case GITHUB -> {
        String sha256 = headers.get("x-hub-signature-256");
        String sha1 = headers.get("x-hub-signature");
        if (sha256 == null && sha1 == null) {
          throw new Refusal(401, "signature_missing", "X-Hub-Signature header missing.");
        }
        boolean ok = sha256 != null
            ? Hmac.same("sha256=" + Hmac.hex(Hmac.SHA256, c.webhookToken(), body, length), sha256)
            : Hmac.same("sha1=" + Hmac.hex(Hmac.SHA1, c.webhookToken(), body, length), sha1);
        if (!ok) {
          throw signatureMismatch();
        }
        return CompletableFuture.completedFuture(null);
      }
      case GITLAB -> {
        String token = headers.get("x-gitlab-token");
        if (token == null) {
          throw new Refusal(401, "token_missing", "x-gitlab-token header missing.");
        }
        if (!Hmac.same(c.webhookToken(), token)) {
          throw new Refusal(401, "token_mismatch", "Token does not match the server side configured token");
        }
        return CompletableFuture.completedFuture(null);
      }
      default -> {
        if (remote != null && c.sourceWhitelist().contains(remote)) {
          return CompletableFuture.completedFuture(null);
        }
        String signature = headers.get("x-pagure-signature");
        if (signature == null) {
          throw new Refusal(401, "signature_missing", "x-pagure-signature header missing.");
        }
        String project = headers.get("x-pagure-project");
        if (project == null) {
          throw new Refusal(401, "project_missing", "x-pagure-project header missing.");
        }
        if (c.webhookToken() != null) {
          if (!Hmac.same(Hmac.hex(Hmac.SHA1, c.webhookToken(), body, length), signature)) {
            throw signatureMismatch();
          }
          return CompletableFuture.completedFuture(null);
        }
        if (!PAGURE_PROJECT.matcher(project).matches() || project.contains("..")) {
          throw new Refusal(401, "project_invalid", "x-pagure-project header is not a project name.");
        }
        return pagureTokens.token(c, project)
            .thenCompose(token -> Hmac.same(Hmac.hex(Hmac.SHA1, token, body, length), signature)
                ? CompletableFuture.completedFuture(token)
                : pagureTokens.refresh(c, project)) // the token may have been regenerated: once more
            .<Void>handle((token, error) -> {
              if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                LOG.warn("Pagure token of {} for connection {} unavailable: {}", project, c.name(), cause.toString());
                throw new CompletionException(new Refusal(503, "token_lookup_failed",
                    "Cannot fetch the webhook token of " + project + " now; deliver it again."));
              }
              if (!Hmac.same(Hmac.hex(Hmac.SHA1, token, body, length), signature)) {
                throw new CompletionException(signatureMismatch());
              }
              return null;
            });
      }
    }
  }

  private static Refusal signatureMismatch() {
    return new Refusal(401, "signature_mismatch",
        "Request signature does not match calculated payload signature. Check that secret is correct.");
  }

  private <T> CompletableFuture<T> refused(String connection, String delivery, String remote, Refusal r) {
    metrics.refused(connection, r.reason());
    LOG.warn("Webhook refused: connection={} status={} reason={} delivery={} remote={}", connection, r.status(),
        r.reason(), delivery, remote);
    return CompletableFuture.failedFuture(r);
  }

  /** The sender's delivery id for logs, cut and restricted to safe characters; {@code -} when none. */
  static String deliveryId(Map<String, String> headers) {
    for (String h : new String[] {"x-github-delivery", "x-gitlab-event-uuid", "x-gitlab-webhook-uuid",
        "x-pagure-delivery"}) {
      String v = headers.get(h);
      if (v != null && !v.isEmpty()) {
        String safe = UNSAFE_ID_CHARS.matcher(v).replaceAll("?");
        return safe.length() > MAX_LOGGED_ID ? safe.substring(0, MAX_LOGGED_ID) : safe;
      }
    }
    return "-";
  }
}
