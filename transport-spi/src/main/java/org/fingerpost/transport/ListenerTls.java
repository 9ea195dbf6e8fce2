package org.fingerpost.transport;

import java.io.IOException;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Server-side TLS for a daemon's own listening port (the gateway's and the streamer's finger ports),
 * found with {@link ServiceLoader} as transports are, so that the code wiring the daemons names no
 * transport class. Fingerpost's implementation is in {@code transport-tls} (mutual TLS with the
 * provider it chooses, certificates reloaded when their files change), listed in {@code
 * META-INF/services/org.fingerpost.transport.ListenerTls}.
 *
 * <p>It reads the same {@code tls_*} keys as the {@code tls} transport, named here: {@value #CERT_KEY},
 * {@value #KEY_KEY} and {@value #CA_KEY} (PEM files, all three required: clients must present a
 * certificate the CA signed), {@value #PROVIDER_KEY} and {@value #RELOAD_INTERVAL_KEY}; the keys of
 * both ends of finger TLS are named here ({@value #VERIFY_HOSTNAMES_KEY} is the dialling side's).
 *
 * <p>Implementations are thread-safe and have a public no-argument constructor.
 */
public interface ListenerTls {
  /** PEM certificate (chain) presented by the listener and on outgoing hops. */
  String CERT_KEY = "tls_cert";
  /** PEM private key of {@link #CERT_KEY}. */
  String KEY_KEY = "tls_key";
  /** PEM CA bundle that peers' certificates must be signed by. */
  String CA_KEY = "tls_ca";
  /** Which TLS implementation to use; the values are the implementation's. */
  String PROVIDER_KEY = "tls_provider";
  /** Milliseconds between checks of the PEM files for changes. */
  String RELOAD_INTERVAL_KEY = "tls_reload_interval_ms";
  /** Outgoing hops only (the {@code tls} transport): check the peer's certificate against the name dialled. */
  String VERIFY_HOSTNAMES_KEY = "tls_verify_hostnames";

  /**
   * Server-side TLS built from {@code settings}, of the type the listener takes.
   *
   * @param type what the listener takes, for example Jetty's {@code SslContextFactory.Server} for a
   *     finger port
   * @param resources receives what must be closed when the listener closes (a certificate reloader)
   * @throws IOException when a file is missing or unusable (the message names it)
   * @throws IllegalArgumentException when a setting is invalid (the message names its key) or {@code
   *     type} is not one this implementation builds
   */
  <T> T listener(Class<T> type, TransportSettings settings, Consumer<AutoCloseable> resources) throws IOException;

  /** The name of the security provider the TLS contexts of this JVM are built with, once one was built. */
  Optional<String> provider();

  /** The first implementation visible to {@code classLoader}, if any. */
  static Optional<ListenerTls> find(ClassLoader classLoader) {
    return ServiceLoader.load(ListenerTls.class, classLoader).findFirst();
  }
}
