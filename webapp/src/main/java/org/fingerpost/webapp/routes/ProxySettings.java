package org.fingerpost.webapp.routes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fingerpost.webapp.routes.internal.TrustedProxies;

/**
 * How routes are proxied (docs/configuration.md, section {@code web}, keys {@code proxy_*} and
 * {@code trusted_proxies}): the idle timeout of both hops, the largest request body, which peers may
 * set {@code Forwarded}/{@code X-Forwarded-*}, the {@code Via} pseudonym and the access log.
 * Immutable; build with {@link #builder()}.
 */
public final class ProxySettings {
  /** A backend or client silent this long (no byte either way) ends the exchange; generous for slow streams. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
  /** Largest request body streamed to a backend; larger gets 413. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1024L * 1024 * 1024;
  /** The {@code Via} received-by pseudonym (RFC 9110 7.6.3): never this host's name. */
  public static final String DEFAULT_VIA = "fingerpost";
  /** The {@code proxy_via} value for no {@code Via} header where an empty value means unset (environment). */
  public static final String NO_VIA = "-";

  private final Duration idleTimeout;
  private final long maxBodyBytes;
  private final List<String> trustedProxies;
  private final String via;
  private final boolean accessLog;

  private ProxySettings(Builder b) {
    if (b.idleTimeout == null || b.idleTimeout.isNegative() || b.idleTimeout.isZero()) {
      throw new IllegalArgumentException("proxy_idle_timeout must be a positive duration, not " + b.idleTimeout);
    }
    if (b.maxBodyBytes <= 0) {
      throw new IllegalArgumentException("proxy_max_body_bytes must be positive, not " + b.maxBodyBytes);
    }
    if (b.via != null && !b.via.isEmpty() && !b.via.equals(NO_VIA) && !b.via.matches("[A-Za-z0-9._~!$&'*+^`|-]+")) {
      throw new IllegalArgumentException("proxy_via must be a token (RFC 9110 pseudonym) or empty, not '" + b.via + "'");
    }
    TrustedProxies.parse(b.trustedProxies); // refuses a bad entry now, not at the first request
    this.idleTimeout = b.idleTimeout;
    this.maxBodyBytes = b.maxBodyBytes;
    this.trustedProxies = List.copyOf(b.trustedProxies);
    this.via = b.via == null || b.via.equals(NO_VIA) ? "" : b.via;
    this.accessLog = b.accessLog;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static ProxySettings defaults() {
    return builder().build();
  }

  /** Idle timeout of a proxied exchange or websocket, on both hops ({@code proxy_idle_timeout}). */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Largest request body, in bytes ({@code proxy_max_body_bytes}). */
  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Addresses and CIDR ranges whose {@code Forwarded}/{@code X-Forwarded-*}/{@code X-Real-IP} are kept. */
  public List<String> trustedProxies() {
    return trustedProxies;
  }

  /** The {@code Via} pseudonym; empty: no {@code Via} header. */
  public String via() {
    return via;
  }

  /** Whether each proxied request logs one line ({@code proxy_access_log}). */
  public boolean accessLog() {
    return accessLog;
  }

  /** Splits a comma-separated list ({@code trusted_proxies}); blank gives none. */
  public static List<String> parseList(String text) {
    List<String> out = new ArrayList<>();
    if (text != null) {
      for (String s : text.split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  /** Builds {@link ProxySettings}; every value starts at its documented default. */
  public static final class Builder {
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private List<String> trustedProxies = List.of();
    private String via = DEFAULT_VIA;
    private boolean accessLog;

    private Builder() {}

    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    public Builder trustedProxies(List<String> addressesOrCidrs) {
      this.trustedProxies = List.copyOf(addressesOrCidrs);
      return this;
    }

    public Builder via(String pseudonym) {
      this.via = pseudonym;
      return this;
    }

    public Builder accessLog(boolean on) {
      this.accessLog = on;
      return this;
    }

    /** @throws IllegalArgumentException naming the invalid key */
    public ProxySettings build() {
      return new ProxySettings(this);
    }
  }
}
