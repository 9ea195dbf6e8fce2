package org.fingerpost.transport.finger.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's TLS connection, moving a log's records in bulk. Jetty's {@link SslConnection} holds about
 * one record (its session's packet size, 16.7 KB) in each of its encrypted buffers: it reads the socket
 * before every unwrap and decrypts one record per fill, and writes the socket after every wrap of one
 * record, so each 16 KiB of a log cost a system call of its own on both ends of a hop, and on the
 * reading end its own delivery and write to the next hop. This one, with buffers of {@link
 * #ENCRYPTED_BYTES}:
 * <ul>
 *   <li>reads up to that many encrypted bytes at a time and skips the socket while a whole record
 *       already waits, so that {@link FingerClientConnection} can decrypt several records into one
 *       chunk;
 *   <li>wraps further records of the same write while another fits, then writes them with one call.
 * </ul>
 * Records, engine, handshake and close are Jetty's and the provider's, unchanged; records in direct
 * buffers (docs/tls.md, docs/benchmarks.md).
 *
 * <p>Threads and ownership as {@link SslConnection}: one per connection, created by {@link
 * FingerClientConnectionFactory#tls} (hops) and {@link FingerConnector} (TLS ports); its buffers come
 * from the connector's pool and go back empty, as Jetty's do.
 */
final class BulkSslConnection extends SslConnection {
  /** Capacity of each encrypted buffer: bytes read from, or written to, the socket at most at a time. */
  static final int ENCRYPTED_BYTES = 64 * 1024;
  /** A TLS record's header: content type (1), legacy version (2), length (2). */
  static final int RECORD_HEADER_BYTES = 5;

  BulkSslConnection(ByteBufferPool pool, Executor executor, SslContextFactory sslContextFactory,
      EndPoint endPoint, SSLEngine engine) {
    super(new AtLeast(pool, ENCRYPTED_BYTES), executor, sslContextFactory, endPoint, engine, true, true);
  }

  @Override
  protected int networkFill(ByteBuffer input) throws IOException {
    // Reading now would only cost a system call: the engine has a whole record to unwrap first.
    return holdsWholeRecord(input) ? 0 : super.networkFill(input);
  }

  @Override
  protected SSLEngineResult wrap(SSLEngine engine, ByteBuffer[] input, ByteBuffer output) throws SSLException {
    SSLEngineResult result = super.wrap(engine, input, output);
    int consumed = result.bytesConsumed();
    int produced = result.bytesProduced();
    int packet = engine.getSession().getPacketBufferSize();
    boolean batched = false;
    // Only plain application data, after the handshake: Jetty handles every other outcome of one wrap.
    while (result.getStatus() == Status.OK && result.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
        && result.bytesProduced() > 0 && output.remaining() >= packet && !BufferUtil.isEmpty(input)) {
      result = super.wrap(engine, input, output);
      consumed += result.bytesConsumed();
      produced += result.bytesProduced();
      batched = true;
    }
    return batched ? new SSLEngineResult(result.getStatus(), result.getHandshakeStatus(), consumed, produced) : result;
  }

  /** Whether {@code records} (flush mode: position to limit) starts with a whole TLS record. */
  static boolean holdsWholeRecord(ByteBuffer records) {
    int available = records.remaining();
    if (available < RECORD_HEADER_BYTES) {
      return false;
    }
    int at = records.position();
    int length = (records.get(at + 3) & 0xff) << 8 | (records.get(at + 4) & 0xff);
    return available >= RECORD_HEADER_BYTES + length;
  }

  /** The connector's pool, handing out buffers of at least {@code minBytes} (Jetty asks for one record's size). */
  private static final class AtLeast extends ByteBufferPool.Wrapper {
    private final int minBytes;

    AtLeast(ByteBufferPool pool, int minBytes) {
      super(pool);
      this.minBytes = minBytes;
    }

    @Override
    public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
      return super.acquire(Math.max(size, minBytes), direct);
    }
  }
}
