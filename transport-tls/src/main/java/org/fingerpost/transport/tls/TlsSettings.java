package org.fingerpost.transport.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.fingerpost.transport.ListenerTls;
import org.fingerpost.transport.TransportSettings;

/**
 * The TLS settings of one daemon (docs/design.md 3.5), read from {@link TransportSettings} keys, which
 * are the {@code [fingergw]} keys of {@code zuul.conf} plus two of Fingerpost's (named in {@link
 * ListenerTls}, which listener TLS is found through):
 *
 * <ul>
 *   <li>{@value #CERT_KEY}, {@value #KEY_KEY}, {@value #CA_KEY}: PEM files (see {@link org.fingerpost.pem.PemFiles});
 *   <li>{@value #VERIFY_HOSTNAMES_KEY}: check the peer's certificate against the name dialled (SNI),
 *       default true;
 *   <li>{@value #PROVIDER_KEY}: {@code conscrypt} (default) or {@code jdk} (see {@link TlsProvider});
 *   <li>{@value #RELOAD_INTERVAL_KEY}: milliseconds between checks of the files for changes (see
 *       {@link CertificateReloader}), default {@link #DEFAULT_RELOAD_INTERVAL}.
 * </ul>
 *
 * <p>A server needs certificate, key and CA ({@link #serverReady()}): it then requires client
 * certificates signed by that CA. A client presents certificate and key when both are set and
 * trusts the CA bundle, or the JVM's default trust store when {@value #CA_KEY} is unset. Immutable.
 */
public final class TlsSettings {
  public static final String CERT_KEY = ListenerTls.CERT_KEY;
  public static final String KEY_KEY = ListenerTls.KEY_KEY;
  public static final String CA_KEY = ListenerTls.CA_KEY;
  public static final String VERIFY_HOSTNAMES_KEY = ListenerTls.VERIFY_HOSTNAMES_KEY;
  public static final String PROVIDER_KEY = ListenerTls.PROVIDER_KEY;
  public static final String RELOAD_INTERVAL_KEY = ListenerTls.RELOAD_INTERVAL_KEY;

  /** How often the PEM files are checked for changes by default: often enough for a rotated cert-manager secret. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(30);
  /** TLS versions offered, preferred first: 1.3, then 1.2 as the minimum. */
  public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final Path cert;
  private final Path key;
  private final Path ca;
  private final boolean verifyHostnames;
  private final TlsProvider.Preference provider;
  private final Duration reloadInterval;

  private TlsSettings(Builder b) {
    this.cert = b.cert;
    this.key = b.key;
    this.ca = b.ca;
    this.verifyHostnames = b.verifyHostnames;
    this.provider = b.provider;
    this.reloadInterval = b.reloadInterval;
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(CERT_KEY + " and " + KEY_KEY + " must be set together (got "
          + CERT_KEY + "=" + cert + ", " + KEY_KEY + "=" + key + ")");
    }
  }

  /** The settings under the keys of the class comment. */
  public static TlsSettings from(TransportSettings settings) {
    Builder b = builder()
        .verifyHostnames(settings.getBoolean(VERIFY_HOSTNAMES_KEY, true))
        .provider(settings.get(PROVIDER_KEY).map(TlsProvider.Preference::parse).orElse(TlsProvider.Preference.CONSCRYPT))
        .reloadInterval(settings.getMillis(RELOAD_INTERVAL_KEY, DEFAULT_RELOAD_INTERVAL));
    settings.get(CERT_KEY).map(Path::of).ifPresent(b::cert);
    settings.get(KEY_KEY).map(Path::of).ifPresent(b::key);
    settings.get(CA_KEY).map(Path::of).ifPresent(b::ca);
    return b.build();
  }

  /** Defaults: no files, hostname verification on, Conscrypt, {@link #DEFAULT_RELOAD_INTERVAL}. */
  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return builder().cert(cert).key(key).ca(ca).verifyHostnames(verifyHostnames).provider(provider)
        .reloadInterval(reloadInterval);
  }

  /** Certificate chain PEM, or null. */
  public Path cert() {
    return cert;
  }

  /** Private key PEM, or null. */
  public Path key() {
    return key;
  }

  /** CA bundle PEM, or null. */
  public Path ca() {
    return ca;
  }

  public boolean verifyHostnames() {
    return verifyHostnames;
  }

  public TlsProvider.Preference provider() {
    return provider;
  }

  public Duration reloadInterval() {
    return reloadInterval;
  }

  /** Whether certificate, key and CA are all set: enough to listen with mutual TLS. */
  public boolean serverReady() {
    return cert != null && key != null && ca != null;
  }

  /** Whether any file is configured (there is something to reload). */
  public boolean hasFiles() {
    return cert != null || ca != null;
  }

  @Override
  public String toString() {
    return "TlsSettings[cert=" + cert + ", key=" + key + ", ca=" + ca + ", verifyHostnames=" + verifyHostnames
        + ", provider=" + provider + "]";
  }

  /** Builds {@link TlsSettings}; see {@link TlsSettings#builder()}. */
  public static final class Builder {
    private Path cert;
    private Path key;
    private Path ca;
    private boolean verifyHostnames = true;
    private TlsProvider.Preference provider = TlsProvider.Preference.CONSCRYPT;
    private Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;

    public Builder cert(Path cert) {
      this.cert = cert;
      return this;
    }

    public Builder key(Path key) {
      this.key = key;
      return this;
    }

    public Builder ca(Path ca) {
      this.ca = ca;
      return this;
    }

    public Builder verifyHostnames(boolean verifyHostnames) {
      this.verifyHostnames = verifyHostnames;
      return this;
    }

    public Builder provider(TlsProvider.Preference provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    public Builder reloadInterval(Duration reloadInterval) {
      if (reloadInterval.isNegative() || reloadInterval.isZero()) {
        throw new IllegalArgumentException(RELOAD_INTERVAL_KEY + " must be positive: " + reloadInterval);
      }
      this.reloadInterval = reloadInterval;
      return this;
    }

    public TlsSettings build() {
      return new TlsSettings(this);
    }
  }
}
