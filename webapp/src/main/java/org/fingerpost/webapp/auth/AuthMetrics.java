package org.fingerpost.webapp.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counters of read protection, in the web tier's meter registry:
 * {@code fingerpost.web.authentications{result="accepted"|"refused", reason, realm}} (Prometheus
 * {@code fingerpost_web_authentications_total}; {@code reason} is Zuul's error name, {@code ok} when
 * accepted; {@code realm} the authenticator's, {@code none} when unknown) and
 * {@code fingerpost.web.authorizations{result="granted"|"denied"|"unavailable"}} for requests to
 * read-protected tenants. Counters are registered once per tag set and then only incremented.
 * Thread-safe.
 */
public final class AuthMetrics {
  static final String AUTHENTICATIONS = "fingerpost.web.authentications";
  static final String AUTHORIZATIONS = "fingerpost.web.authorizations";

  private final MeterRegistry meters;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  public AuthMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void accepted(String realm) {
    authentication("accepted", "ok", realm);
  }

  void refused(AuthError e) {
    authentication("refused", e.name(), e.realm());
  }

  private void authentication(String result, String reason, String realm) {
    String r = realm == null ? "none" : realm;
    counters.computeIfAbsent(AUTHENTICATIONS + '\0' + result + '\0' + reason + '\0' + r, k ->
        Counter.builder(AUTHENTICATIONS).description("Tokens checked, by result, Zuul's error name and realm")
            .tag("result", result).tag("reason", reason).tag("realm", r).register(meters)).increment();
  }

  void authorization(String result) {
    counters.computeIfAbsent(AUTHORIZATIONS + '\0' + result, k -> Counter.builder(AUTHORIZATIONS)
        .description("Requests for read-protected tenants, by outcome").tag("result", result).register(meters))
        .increment();
  }
}
