package org.fingerpost.webapp.routes.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.transport.HttpDestination;

/**
 * Jetty's {@link HttpClient} with a lock-free lookup of a known destination. Jetty resolves the
 * destination of every request with {@code ConcurrentHashMap.compute} on its destinations map, which
 * locks the map bin of that origin: every request to one backend goes through that one lock. In
 * {@code bench/proxy} (64 concurrent requests to one route on 2 cores) JFR recorded hundreds of waits of
 * 10 ms and more on it, when a thread holding it was descheduled. Here a known, live destination is
 * read with a plain {@code get}; a new or stale one (swept after {@code destinationIdleTimeout}) is
 * resolved by Jetty as before. Thread-safe.
 */
final class DestinationCachingHttpClient extends HttpClient {
  /** One entry per backend origin of the routes (fixed at start): bounded by the route table. */
  private final Map<Origin, Destination> known = new ConcurrentHashMap<>();

  DestinationCachingHttpClient(HttpClientTransport transport) {
    super(transport);
  }

  @Override
  public Destination resolveDestination(Origin origin) {
    Destination d = known.get(origin);
    // stale() is what Jetty's own lookup asks too (and marks the destination active); it takes only
    // that destination's lock.
    if (d instanceof HttpDestination h && !h.stale()) {
      return d;
    }
    d = super.resolveDestination(origin);
    known.put(origin, d);
    return d;
  }
}
