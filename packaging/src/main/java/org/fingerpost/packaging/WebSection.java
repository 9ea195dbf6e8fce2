package org.fingerpost.packaging;

import java.time.Duration;
import org.fingerpost.webapp.WebSettings;
import org.fingerpost.webapp.routes.ProxySettings;

/**
 * The {@code web} section: the web tier (REST API, console-stream websocket, live-log page). The
 * first three keys are Zuul's; the others are Fingerpost's (docs/configuration.md).
 */
public final class WebSection extends MonitoredSection {
  public String listenAddress = WebSettings.DEFAULT_LISTEN_ADDRESS;
  public int port = WebSettings.DEFAULT_PORT;
  public String zone;
  /** Bytes of log text queued per websocket before its upstream is paused. */
  public int sendBufferBytes = WebSettings.DEFAULT_SEND_BUFFER_BYTES;
  /** Largest first websocket message, in bytes. */
  public int maxRequestBytes = WebSettings.DEFAULT_MAX_REQUEST_BYTES;
  /** Seconds between websocket pings. */
  public double pingInterval = WebSettings.DEFAULT_PING_INTERVAL.toSeconds();
  /** Seconds a websocket's send buffer may stay full before the client is closed as too slow. */
  public double slowClientTimeout = WebSettings.DEFAULT_SLOW_CLIENT_TIMEOUT.toSeconds();
  /** Threads doing the registry lookups of new websockets. */
  public int lookupThreads = WebSettings.DEFAULT_LOOKUP_THREADS;
  /** Routing table: {@code /prefix/=http://backend:port/[,...]}. */
  public String routes;
  /** Bytes of each shared build log kept for late-joining websockets (issue 6). */
  public long sharedWindowBytes = org.fingerpost.streams.SharedStreams.DEFAULT_WINDOW_BYTES;
  /** Bytes that may wait for one websocket behind its shared upstream before it is closed 1008. */
  public long viewerBufferBytes = org.fingerpost.streams.SharedStreams.DEFAULT_VIEWER_BUFFER_BYTES;
  /** Whether websockets may negotiate permessage-deflate. */
  public boolean websocketCompression = WebSettings.DEFAULT_WEBSOCKET_COMPRESSION;
  /** Seconds a proxied exchange or websocket may be silent on either hop. */
  public double proxyIdleTimeout = ProxySettings.DEFAULT_IDLE_TIMEOUT.toSeconds();
  /** Largest request body proxied to a route, in bytes; larger gets 413. */
  public long proxyMaxBodyBytes = ProxySettings.DEFAULT_MAX_BODY_BYTES;
  /** Comma-separated addresses / CIDR ranges whose forwarding headers routes keep. */
  public String trustedProxies;
  /** The Via pseudonym of proxied requests; empty or {@code -}: none. */
  public String proxyVia = ProxySettings.DEFAULT_VIA;
  /** One log line per proxied request. */
  public boolean proxyAccessLog;

  WebSettings toWebSettings() throws ConfigFile.ConfigException {
    try {
      return WebSettings.builder()
          .listenAddress(listenAddress)
          .port(port)
          .zone(zone)
          .sendBufferBytes(sendBufferBytes)
          .maxRequestBytes(maxRequestBytes)
          .pingInterval(Duration.ofMillis(Math.round(pingInterval * 1000)))
          .slowClientTimeout(Duration.ofMillis(Math.round(slowClientTimeout * 1000)))
          .lookupThreads(lookupThreads)
          .routes(WebSettings.parseRoutes(routes))
          .sharedWindowBytes(sharedWindowBytes)
          .viewerBufferBytes(viewerBufferBytes)
          .websocketCompression(websocketCompression)
          .proxy(ProxySettings.builder()
              .idleTimeout(Duration.ofMillis(Math.round(proxyIdleTimeout * 1000)))
              .maxBodyBytes(proxyMaxBodyBytes)
              .trustedProxies(ProxySettings.parseList(trustedProxies))
              .via(proxyVia)
              .accessLog(proxyAccessLog)
              .build())
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigFile.ConfigException("Invalid configuration: section 'web': " + e.getMessage(), e);
    }
  }

  public WebSection() {
    super("web");
  }

  @Override
  String listenAddress() {
    return listenAddress;
  }
}
