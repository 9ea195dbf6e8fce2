package org.fingerpost.webapp.auth;

import java.time.Duration;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.tenants.TenantConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zuul's rules, from the tenant configuration the scheduler writes to ZooKeeper ({@link TenantConfig}),
 * converted once per change. Unknown (null) until read, while the data is unreadable or malformed;
 * {@link AccessRules#none()} when ZooKeeper holds no tenant configuration at all. Owns its {@link
 * TenantConfig}; thread-safe.
 */
public final class ZooKeeperRules implements RulesSource {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperRules.class);

  private final TenantConfig config;
  private final Object monitor = new Object();
  private volatile AccessRules current;

  /** Starts watching {@code registry}'s {@code /zuul/system/conf}. */
  public ZooKeeperRules(Registry registry) {
    this.config = new TenantConfig(registry);
    config.addListener(this::update);
    config.start();
  }

  private void update(TenantConfig.Snapshot s) {
    AccessRules rules = null;
    if (s != null) {
      try {
        rules = s.absent() ? AccessRules.none() : AccessRules.fromUnparsedAbide(s.unparsedAbide());
        LOG.info("Access rules from Zuul's tenant configuration: read-protected tenants {}",
            rules.protectedTenants());
      } catch (IllegalArgumentException e) {
        LOG.error("Zuul's tenant configuration has malformed access rules ({}); read-protected access is "
            + "refused until it is fixed", e.getMessage());
      }
    }
    synchronized (monitor) {
      current = rules;
      monitor.notifyAll();
    }
  }

  @Override
  public AccessRules current() {
    return current;
  }

  @Override
  public AccessRules await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (current == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return current;
    }
  }

  @Override
  public void close() {
    config.close();
  }
}
