package org.fingerpost.webapp.webhooks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.fingerpost.webapp.webhooks.ConnectionSettings;

/**
 * Pagure project webhook tokens, fetched as Zuul does ({@code GET <baseurl>/api/0/<project>/webhook/token}
 * with {@code Authorization: token <api_token>}, answer {@code {"webhook": {"token": ...}}}) and cached
 * per connection and project; {@link #refresh} fetches again (Zuul retries once after a mismatch, as
 * the token may have been regenerated). Non-blocking (JDK HTTP client). Thread-safe.
 */
final class PagureTokens {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  PagureTokens(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** The cached token, or a fetched one. Fails with an exception whose message is for logs. */
  CompletableFuture<String> token(ConnectionSettings c, String project) {
    String cached = cache.get(key(c, project));
    return cached != null ? CompletableFuture.completedFuture(cached) : refresh(c, project);
  }

  CompletableFuture<String> refresh(ConnectionSettings c, String project) {
    if (c.pagureApiToken() == null) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "[connection " + c.name() + "] has neither webhook_token nor api_token"));
    }
    URI uri = URI.create(c.pagureBaseUrl() + "/api/0/" + project + "/webhook/token");
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Authorization", "token " + c.pagureApiToken()).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
      if (response.statusCode() >= 400) {
        throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
      }
      try {
        JsonNode token = JSON.readTree(response.body()).path("webhook").path("token");
        if (!token.isTextual() || token.asText().isEmpty()) {
          throw new IllegalStateException("GET " + uri + ": no webhook.token in the answer");
        }
        cache.put(key(c, project), token.asText());
        return token.asText();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("GET " + uri + ": not JSON", e);
      }
    });
  }

  private static String key(ConnectionSettings c, String project) {
    return c.name() + "\n" + project;
  }
}
