package org.fingerpost.webapp.routes.internal;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per proxied exchange when {@code proxy_access_log} is on, at INFO on this class's
 * logger: {@code route=/nodepool/ method=GET path=/nodepool/x status=200 received=0 sent=123
 * duration_ms=12 peer=10.1.2.3}, then {@code error=...} when it failed. The query string is left
 * out (it may carry secrets); websockets log {@code status=101} when they close. Thread-safe.
 */
final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

  void log(Exchange e, int status, long nanos, String error) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info("route={} method={} path={} status={} received={} sent={} duration_ms={} peer={}{}", e.route, e.method,
        e.path, status, e.received.sum(), e.sent.sum(), TimeUnit.NANOSECONDS.toMillis(nanos), e.peer,
        error == null ? "" : " error=" + error);
  }
}
