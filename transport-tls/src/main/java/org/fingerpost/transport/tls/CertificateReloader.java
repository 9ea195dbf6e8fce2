package org.fingerpost.transport.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes replaced certificate, key and CA files take effect without a restart: every {@link
 * TlsSettings#reloadInterval()} it hashes the three files and, when their content changed, reloads
 * them into the factory with Jetty's {@link SslContextFactory#reload}. New connections then use the
 * new material; connections already open keep the session they negotiated, so streams in flight
 * continue. Content, not modification times, is compared, so Kubernetes' symlink swap of a mounted
 * secret is seen as well.
 *
 * <p>A change that cannot be loaded (half-written file, key not matching the certificate) is logged
 * as an error and the previous material stays in use; the next change is tried again.
 *
 * <p>Owns one daemon thread; {@link #close()} stops it. Thread-safe.
 */
public final class CertificateReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  private final SslContextFactory factory;
  private final TlsSettings settings;
  private final ScheduledExecutorService timer;
  private final AtomicInteger reloads = new AtomicInteger();
  private volatile byte[] digest;

  private CertificateReloader(SslContextFactory factory, TlsSettings settings) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.digest = digestOrNull();
    String name = "tls-reload-" + IDS.incrementAndGet();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts watching {@code settings}' files for {@code factory} (built from the same settings). */
  public static CertificateReloader start(SslContextFactory factory, TlsSettings settings) {
    CertificateReloader r = new CertificateReloader(factory, settings);
    long ms = settings.reloadInterval().toMillis();
    r.timer.scheduleWithFixedDelay(r::check, ms, ms, TimeUnit.MILLISECONDS);
    return r;
  }

  /** Successful reloads so far; for tests and metrics. */
  public int reloads() {
    return reloads.get();
  }

  /** Compares the files with the last loaded content and reloads them if they changed; never throws. */
  public void check() {
    byte[] now = digestOrNull();
    if (now == null || Arrays.equals(now, digest)) {
      return;
    }
    try {
      factory.reload(f -> {
        try {
          TlsContexts.load(f, settings);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      digest = now;
      reloads.incrementAndGet();
      LOG.info("Reloaded TLS certificate {} / CA {}: new connections use them", settings.cert(), settings.ca());
    } catch (Exception e) {
      Throwable cause = e instanceof java.io.UncheckedIOException ? e.getCause() : e;
      // Remember the bad content so the error is logged once per change, not every interval.
      digest = now;
      LOG.error("Cannot reload TLS files (keeping the previous ones): {}", cause.getMessage());
    }
  }

  private byte[] digestOrNull() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Path p : new Path[] {settings.cert(), settings.key(), settings.ca()}) {
        if (p != null) {
          md.update(Files.readAllBytes(p));
          md.update((byte) 0);
        }
      }
      return md.digest();
    } catch (IOException e) {
      // Mid-rotation a file can be missing for a moment; look again next time.
      LOG.debug("Cannot read TLS files yet: {}", e.toString());
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
