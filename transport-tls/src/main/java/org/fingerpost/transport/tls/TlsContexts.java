package org.fingerpost.transport.tls;

import java.io.IOException;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.pem.PemFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Jetty TLS factories of both ends from {@link TlsSettings}, so the finger server of the
 * gateway and the streamer and the {@code tls} client transport share one code path: TLS 1.3
 * preferred, 1.2 minimum, the provider of {@link TlsProvider}, key and trust material from the PEM
 * files.
 *
 * <p>The factories are not started: their owner (a {@code FingerServer} or {@code FingerClient})
 * starts them. Stateless and thread-safe.
 */
public final class TlsContexts {
  private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

  private TlsContexts() {}

  /**
   * A server factory that presents the certificate and requires a client certificate signed by the CA.
   *
   * @throws IOException when a file is missing or unusable (the message names it)
   * @throws IllegalArgumentException when certificate, key or CA is not set
   */
  public static SslContextFactory.Server server(TlsSettings settings) throws IOException {
    if (!settings.serverReady()) {
      throw new IllegalArgumentException("A TLS listener needs " + TlsSettings.CERT_KEY + ", " + TlsSettings.KEY_KEY
          + " and " + TlsSettings.CA_KEY + ": " + settings);
    }
    SslContextFactory.Server f = new SslContextFactory.Server();
    common(f, settings);
    f.setNeedClientAuth(true);
    // The client's certificate identifies a component, not a host name: no endpoint check on it.
    f.setEndpointIdentificationAlgorithm(null);
    // One certificate: SNI names that do not match it are still served (the proxy already routed by SNI).
    f.setSniRequired(false);
    load(f, settings);
    LOG.info("TLS listener settings: certificate {}, CA {}, client certificates required, provider {}",
        settings.cert(), settings.ca(), f.getProvider());
    return f;
  }

  /**
   * A client factory: presents certificate and key when set, trusts the CA bundle (or the JVM's
   * defaults without one), checks the host name unless turned off. SNI and the name checked are the
   * target's server name (set per connection by {@code FingerClient}).
   *
   * @throws IOException when a file is missing or unusable (the message names it)
   */
  public static SslContextFactory.Client client(TlsSettings settings) throws IOException {
    SslContextFactory.Client f = new SslContextFactory.Client();
    common(f, settings);
    f.setEndpointIdentificationAlgorithm(settings.verifyHostnames() ? "HTTPS" : null);
    load(f, settings);
    LOG.info("TLS client settings: certificate {}, CA {}, hostname verification {}, provider {}",
        settings.cert() == null ? "none" : settings.cert(), settings.ca() == null ? "JVM default" : settings.ca(),
        settings.verifyHostnames() ? "on" : "off", f.getProvider());
    return f;
  }

  /**
   * Reads the PEM files of {@code settings} into {@code f}'s key and trust stores. Used at build time
   * and by {@link CertificateReloader} inside {@link SslContextFactory#reload}.
   */
  static void load(SslContextFactory f, TlsSettings settings) throws IOException {
    // Read everything before changing anything: a bad file leaves the factory as it was.
    java.security.KeyStore keys = settings.cert() == null ? null : PemFiles.keyStore(settings.cert(), settings.key());
    java.security.KeyStore trust = settings.ca() == null ? null : PemFiles.trustStore(settings.ca());
    if (keys != null) {
      f.setKeyStore(keys);
      f.setKeyStorePassword(PemFiles.IN_MEMORY_PASSWORD);
      f.setKeyManagerPassword(PemFiles.IN_MEMORY_PASSWORD);
    }
    if (trust != null) {
      f.setTrustStore(trust);
    }
  }

  private static void common(SslContextFactory f, TlsSettings settings) {
    f.setProvider(TlsProvider.resolve(settings.provider()));
    f.setIncludeProtocols(TlsSettings.PROTOCOLS);
    f.setRenegotiationAllowed(false);
  }
}
