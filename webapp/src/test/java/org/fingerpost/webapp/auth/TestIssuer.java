package org.fingerpost.webapp.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.testing.TestPki;

/**
 * An OpenID Connect identity provider for tests, served by a small Jetty handler over HTTPS on
 * loopback with a throwaway CA ({@link TestPki}): {@code /.well-known/openid-configuration} (issuer, {@code jwks_uri})
 * and {@code /jwks} (the current public keys, replaceable for rotation). Counts the JWKS fetches.
 */
public final class TestIssuer implements AutoCloseable {
  private final Server server;
  private final SSLContext clientContext;
  private volatile List<JWK> keys = List.of();
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final Path pkiDir;

  public TestIssuer() throws Exception {
    pkiDir = Files.createTempDirectory("test-idp-pki");
    TestPki.Cert ca = new TestPki(pkiDir).ca("test-idp-ca");
    char[] pw = "test".toCharArray();
    KeyStore ks = ca.issue("idp", "localhost", "127.0.0.1").keyStore(pw);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(ks);
    ssl.setKeyStorePassword("test");
    server = new Server();
    ServerConnector https = new ServerConnector(server, ssl);
    https.setHost("127.0.0.1");
    https.setPort(0);
    server.addConnector(https);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        paths.add(path);
        String body;
        if (path.equals("/.well-known/openid-configuration")) {
          body = "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer() + "/jwks\"}";
        } else if (path.equals("/jwks")) {
          jwksFetches.incrementAndGet();
          body = new JWKSet(keys).toString(true);
        } else {
          Response.writeError(request, response, callback, 404);
          return true;
        }
        response.getHeaders().put("Content-Type", "application/json");
        Content.Sink.write(response, true, body, callback);
        return true;
      }
    });
    server.start();

    KeyStore trust = ca.trustStore();
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);
  }

  /** The issuer id ({@code https://127.0.0.1:<port>}). */
  public String issuer() {
    return "https://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** Serves these public keys from now on (rotation). */
  public void keys(JWK... jwks) {
    keys = List.of(jwks);
  }

  public int jwksFetches() {
    return jwksFetches.get();
  }

  /** An HTTP client trusting only this issuer's CA. */
  public HttpClient client() {
    return HttpClient.newBuilder().sslContext(clientContext).connectTimeout(Duration.ofSeconds(5)).build();
  }

  public URI uri(String path) {
    return URI.create(issuer() + path);
  }

  @Override
  public void close() throws Exception {
    server.stop();
    try (Stream<Path> files = Files.walk(pkiDir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
