package org.fingerpost.transport.finger.internal;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslClientConnectionFactory;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Creates the {@link FingerClientConnection} of a stream once its socket is connected; the stream
 * travels in the connect context under {@link #STREAM_CONTEXT_KEY}. {@link #tls} wraps it in TLS.
 * Thread-safe.
 */
public final class FingerClientConnectionFactory implements ClientConnectionFactory {

  /** Connect-context key of the {@link FingerClientStream} being opened. */
  public static final String STREAM_CONTEXT_KEY = FingerClientStream.class.getName();

  private final Executor executor;
  private final ByteBufferPool pool;
  private final int bufferBytes;

  public FingerClientConnectionFactory(Executor executor, ByteBufferPool pool, int bufferBytes) {
    this.executor = executor;
    this.pool = pool;
    this.bufferBytes = bufferBytes;
  }

  @Override
  public Connection newConnection(EndPoint endPoint, Map<String, Object> context) {
    FingerClientStream stream = (FingerClientStream) context.get(STREAM_CONTEXT_KEY);
    return customize(new FingerClientConnection(endPoint, executor, stream, pool, bufferBytes), context);
  }

  /**
   * This factory behind TLS. The SSL engine is created for the target's {@code serverName()} (not the
   * address connected to), so SNI carries that name and the certificate is checked against it.
   * Records are read in bulk ({@link BulkSslConnection}).
   */
  public ClientConnectionFactory tls(SslContextFactory.Client sslContextFactory) {
    SslClientConnectionFactory ssl = new SslClientConnectionFactory(sslContextFactory, pool, executor, this) {
      @Override
      protected SslConnection newSslConnection(EndPoint endPoint, SSLEngine engine) {
        return new BulkSslConnection(pool, executor, sslContextFactory, endPoint, engine);
      }
    };
    // Records read in bulk, in direct buffers (BulkSslConnection; see FingerConnector#tls).
    return (endPoint, context) -> {
      FingerClientStream stream = (FingerClientStream) context.get(STREAM_CONTEXT_KEY);
      // Jetty's SSL factory takes the peer host for the engine (SNI, hostname check) from here.
      context.put(ClientConnector.REMOTE_SOCKET_ADDRESS_CONTEXT_KEY,
          InetSocketAddress.createUnresolved(stream.target().serverName(), stream.target().port()));
      Connection connection = ssl.newConnection(endPoint, context);
      if (connection instanceof SslConnection) {
        // The SSL layer may close the connection without passing on why; keep the handshake's
        // reason (hostname mismatch, untrusted peer) for the failure the owner sees. The stream is
        // not failed here, so the SSL layer still sends its alert to the peer before closing.
        ((SslConnection) connection).addHandshakeListener(new SslHandshakeListener() {
          @Override
          public void handshakeFailed(Event event, Throwable failure) {
            stream.handshakeFailed(failure);
          }
        });
      }
      return connection;
    };
  }
}
