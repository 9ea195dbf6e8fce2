package org.fingerpost.transport.tls;

import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which JSSE provider makes the TLS contexts: Conscrypt (BoringSSL, native) when its library loads on
 * this platform, otherwise the JDK's own ({@code SunJSSE}) with a warning. Conscrypt is registered
 * once, at the end of the provider list, so nothing else in the JVM (ZooKeeper, HTTP clients) changes
 * provider because of it. Thread-safe.
 */
public final class TlsProvider {
  private static final Logger LOG = LoggerFactory.getLogger(TlsProvider.class);

  /** Provider name of Conscrypt. */
  public static final String CONSCRYPT = "Conscrypt";
  /** Provider name of the JDK's TLS implementation. */
  public static final String JDK = "SunJSSE";

  /** What the configuration asks for ({@code tls_provider}). */
  public enum Preference {
    /** Conscrypt, falling back to the JDK if its native library cannot load (the default). */
    CONSCRYPT,
    /** The JDK's provider, for comparison or on platforms where Conscrypt misbehaves. */
    JDK;

    /** Parses {@code conscrypt} or {@code jdk}, case-insensitively. */
    public static Preference parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid value for tls_provider: '" + value + "' (conscrypt or jdk)", e);
      }
    }
  }

  private static volatile Boolean conscryptLoaded;
  private static volatile String lastUsed;

  private TlsProvider() {}

  /**
   * The provider name to build contexts with for {@code preference}; logs a warning the first time
   * Conscrypt is wanted but cannot load.
   */
  public static String resolve(Preference preference) {
    String name = preference == Preference.CONSCRYPT && conscryptAvailable() ? CONSCRYPT : JDK;
    lastUsed = name;
    return name;
  }

  /** The provider the last context was built with ({@link #CONSCRYPT} or {@link #JDK}); null before any. */
  public static String inUse() {
    return lastUsed;
  }

  /** Whether Conscrypt's native library loaded here (and the provider is registered). */
  public static synchronized boolean conscryptAvailable() {
    if (conscryptLoaded == null) {
      conscryptLoaded = loadConscrypt();
    }
    return conscryptLoaded;
  }

  private static boolean loadConscrypt() {
    try {
      if (!org.conscrypt.Conscrypt.isAvailable()) {
        Throwable why = null;
        try {
          org.conscrypt.Conscrypt.checkAvailability();
        } catch (Throwable t) {
          why = t;
        }
        LOG.warn("Conscrypt's native library cannot load on {} {} ({}); using the JDK's TLS provider {}",
            System.getProperty("os.name"), System.getProperty("os.arch"), why == null ? "unknown reason" : why, JDK);
        return false;
      }
      if (Security.getProvider(CONSCRYPT) == null) {
        Provider p = org.conscrypt.Conscrypt.newProvider();
        Security.addProvider(p);
      }
      org.conscrypt.Conscrypt.Version v = org.conscrypt.Conscrypt.version();
      LOG.info("TLS provider: {} {}.{}.{}", CONSCRYPT, v.major(), v.minor(), v.patch());
      return true;
    } catch (Throwable t) {
      LOG.warn("Conscrypt cannot be used ({}); using the JDK's TLS provider {}", t.toString(), JDK);
      return false;
    }
  }
}
