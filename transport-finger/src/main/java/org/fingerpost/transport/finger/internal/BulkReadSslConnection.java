package org.fingerpost.transport.finger.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's TLS connection for the reading end of a stream, reading encrypted records in bulk. Jetty's
 * {@link SslConnection} reads the socket into a buffer of about one record (its session's packet size,
 * 16.7 KB) and reads it again before every unwrap, so each 16 KiB record of a log cost at least one
 * {@code read} and its own delivery and client write. This one reads up to {@link #ENCRYPTED_READ_BYTES}
 * at a time and skips the socket while a whole record already waits in its buffer, so that {@link
 * FingerClientConnection} can decrypt several records into one chunk (docs/benchmarks.md, issue 16).
 * Records, engine, handshake and close are Jetty's, unchanged; records in direct buffers.
 *
 * <p>Threads and ownership as {@link SslConnection}: created by {@link FingerClientConnectionFactory#tls}
 * for one connection; its buffers come from the client's pool and go back empty, as Jetty's do.
 */
final class BulkReadSslConnection extends SslConnection {
  /** Bytes of encrypted records read from the socket at most at a time; the pool's largest bucket. */
  static final int ENCRYPTED_READ_BYTES = 64 * 1024;
  /** A TLS record's header: content type (1), legacy version (2), length (2). */
  static final int RECORD_HEADER_BYTES = 5;

  BulkReadSslConnection(ByteBufferPool pool, Executor executor, SslContextFactory sslContextFactory,
      EndPoint endPoint, SSLEngine engine) {
    super(new AtLeast(pool, ENCRYPTED_READ_BYTES), executor, sslContextFactory, endPoint, engine, true, true);
  }

  @Override
  protected int networkFill(ByteBuffer input) throws IOException {
    // Reading now would only cost a system call: the engine has a whole record to unwrap first.
    return holdsWholeRecord(input) ? 0 : super.networkFill(input);
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

  /** The client's pool, handing out buffers of at least {@code minBytes} (Jetty asks for one record's size). */
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
