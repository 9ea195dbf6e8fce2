package org.fingerpost.transport.tls;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.transport.ListenerTls;
import org.fingerpost.transport.TransportSettings;

/**
 * {@link ListenerTls} for finger ports: a Jetty {@link SslContextFactory.Server} from {@link
 * TlsContexts#server} (mutual TLS), with a {@link CertificateReloader} handed to the caller to close.
 * Found with {@link java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class TlsListeners implements ListenerTls {
  /** For {@link java.util.ServiceLoader}. */
  public TlsListeners() {}

  @Override
  public <T> T listener(Class<T> type, TransportSettings settings, Consumer<AutoCloseable> resources)
      throws IOException {
    if (!type.isAssignableFrom(SslContextFactory.Server.class)) {
      throw new IllegalArgumentException("TLS listeners of transport-tls are Jetty SslContextFactory.Server, not "
          + type.getName());
    }
    TlsSettings tls = TlsSettings.from(settings);
    SslContextFactory.Server factory = TlsContexts.server(tls);
    resources.accept(CertificateReloader.start(factory, tls));
    return type.cast(factory);
  }

  @Override
  public Optional<String> provider() {
    return Optional.ofNullable(TlsProvider.inUse());
  }
}
