package org.fingerpost.webapp.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An OpenID Connect identity provider for tests, served by a small Jetty handler over HTTPS on
 * loopback with a throwaway CA: {@code /.well-known/openid-configuration} (issuer, {@code jwks_uri})
 * and {@code /jwks} (the current public keys, replaceable for rotation). Counts the JWKS fetches.
 */
public final class TestIssuer implements AutoCloseable {
  private final Server server;
  private final SSLContext clientContext;
  private volatile List<JWK> keys = List.of();
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private final List<String> paths = new CopyOnWriteArrayList<>();

  public TestIssuer() throws Exception {
    KeyPair caPair = ec();
    X500Name caName = new X500Name("CN=Test IdP CA");
    X509v3CertificateBuilder cab = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE,
        Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
        caName, caPair.getPublic());
    cab.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    cab.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
    X509Certificate ca = new JcaX509CertificateConverter()
        .getCertificate(cab.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caPair.getPrivate())));
    KeyPair leafPair = ec();
    X509v3CertificateBuilder lb = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO,
        Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
        new X500Name("CN=localhost"), leafPair.getPublic());
    lb.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    X509Certificate leaf = new JcaX509CertificateConverter()
        .getCertificate(lb.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caPair.getPrivate())));

    char[] pw = "test".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("idp", leafPair.getPrivate(), pw, new X509Certificate[] {leaf, ca});
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

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
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
  }
}
