package org.fingerpost.transport.tls;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link TlsProviderFallbackTest}: builds a server and a client TLS factory from
 * the PEM files given as arguments (cert, key, CA) and prints the provider they use.
 */
public final class ProviderProbe {
  private ProviderProbe() {}

  public static void main(String[] args) throws Exception {
    TlsSettings s = TlsSettings.builder().cert(Path.of(args[0])).key(Path.of(args[1])).ca(Path.of(args[2])).build();
    var server = TlsContexts.server(s);
    server.start();
    var client = TlsContexts.client(s);
    client.start();
    System.out.println("provider=" + server.getProvider() + " inUse=" + TlsProvider.inUse()
        + " protocol=" + server.getSslContext().getProtocol());
    server.stop();
    client.stop();
  }
}
