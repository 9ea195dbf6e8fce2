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
 *       already waits;
 *   <li>decrypts, in one fill of its endpoint, the further whole records already read while another
 *       fits in the reader's buffer, without reading the socket, so that a chunk carries several
 *       records and a failing read cannot take records already decrypted with it;
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
  /** The longest record body TLS allows (TLS 1.2's ciphertext: 2^14 + 2048; TLS 1.3's is shorter). */
  static final int MAX_RECORD_BODY_BYTES = 16_384 + 2_048;

  /** Whether the last unwrap left a whole record in the buffer (set under Jetty's lock, read after it). */
  private volatile boolean recordWaiting;
  // The last read skipped, and how many bytes the buffer held then; under Jetty's lock (fill's).
  private boolean skipped;
  private int skippedRemaining;

  BulkSslConnection(ByteBufferPool pool, Executor executor, SslContextFactory sslContextFactory,
      EndPoint endPoint, SSLEngine engine) {
    super(new AtLeast(pool, engine.getSession().getPacketBufferSize(), ENCRYPTED_BYTES), executor,
        sslContextFactory, endPoint, engine, true, true);
  }

  @Override
  protected int networkFill(ByteBuffer input) throws IOException {
    int remaining = input.remaining();
    // Reading now would only cost a system call: the engine has a whole record to unwrap first. Not
    // twice on the same bytes: an engine that did not take them wants more (its reading of the
    // header is the one that counts), and the socket must be read, or nothing would progress.
    if (holdsWholeRecord(input) && !(skipped && remaining == skippedRemaining)) {
      skipped = true;
      skippedRemaining = remaining;
      return 0;
    }
    skipped = false;
    return super.networkFill(input);
  }

  @Override
  protected SSLEngineResult unwrap(SSLEngine engine, ByteBuffer input, ByteBuffer output) throws SSLException {
    try {
      return super.unwrap(engine, input, output);
    } finally {
      recordWaiting = holdsWholeRecord(input);
    }
  }

  @Override
  protected SslEndPoint newSslEndPoint() {
    return new BulkEndPoint();
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
      SSLEngineResult next = super.wrap(engine, input, output);
      if (next.getStatus() == Status.BUFFER_OVERFLOW
          || next.getStatus() == Status.OK && next.bytesConsumed() == 0 && next.bytesProduced() == 0) {
        break; // nothing taken: what was wrapped goes out, Jetty's next wrap meets this again
      }
      result = next;
      consumed += result.bytesConsumed();
      produced += result.bytesProduced();
      batched = true;
    }
    return batched ? new SSLEngineResult(result.getStatus(), result.getHandshakeStatus(), consumed, produced) : result;
  }

  /**
   * Whether {@code records} (flush mode: position to limit) starts with a whole TLS record: a TLS
   * header (content type 20-24, version 3.x, a length TLS allows) and all of its body. Anything else,
   * such as an SSLv2-style hello, is left to the engine and the socket read as Jetty does.
   */
  static boolean holdsWholeRecord(ByteBuffer records) {
    int available = records.remaining();
    if (available < RECORD_HEADER_BYTES) {
      return false;
    }
    int at = records.position();
    int type = records.get(at) & 0xff;
    int length = (records.get(at + 3) & 0xff) << 8 | (records.get(at + 4) & 0xff);
    return type >= 20 && type <= 24 && records.get(at + 1) == 3 && length <= MAX_RECORD_BODY_BYTES
        && available >= RECORD_HEADER_BYTES + length;
  }

  /** Jetty's decrypted endpoint, filling several whole records at a time. */
  private final class BulkEndPoint extends SslEndPoint {
    @Override
    public int fill(ByteBuffer buffer) throws IOException {
      int filled = super.fill(buffer);
      // Jetty decrypts in place only into a buffer with more room than the session's largest record.
      int room = getSSLEngine().getSession().getApplicationBufferSize();
      for (int more = filled; more > 0 && recordWaiting && BufferUtil.space(buffer) > room; ) {
        more = super.fill(buffer); // an end or a failure met here comes again with the next fill
        filled += Math.max(more, 0);
      }
      return filled;
    }

    @Override
    protected void needsFillInterest() {
      // The peer's close_notify may have come with the records before it: a fill gives the end (-1)
      // at once, where waiting on the socket would make Jetty close the connection as failed.
      if (getSSLEngine().isInboundDone()) {
        getExecutor().execute(() -> getFillInterest().fillable());
      } else {
        super.needsFillInterest();
      }
    }
  }

  /**
   * The connector's pool, handing out {@code bulkBytes} for Jetty's encrypted buffers (it asks for the
   * session's packet size, {@code packetBytes}, or more) and what was asked for the smaller decrypted
   * one, which Jetty uses only when the reader's own buffer is too small.
   */
  private static final class AtLeast extends ByteBufferPool.Wrapper {
    private final int packetBytes;
    private final int bulkBytes;

    AtLeast(ByteBufferPool pool, int packetBytes, int bulkBytes) {
      super(pool);
      this.packetBytes = packetBytes;
      this.bulkBytes = bulkBytes;
    }

    @Override
    public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
      return super.acquire(size >= packetBytes ? Math.max(size, bulkBytes) : size, direct);
    }
  }
}
