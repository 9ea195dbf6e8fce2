package org.fingerpost.transport.finger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkSslConnectionTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  /** Plaintext bytes of one TLS record at most (RFC 8446 5.1). */
  private static final int RECORD_TEXT_BYTES = 16 * 1024;

  @TempDir
  Path dir;
  private SslContextFactory.Server serverTls;
  private SslContextFactory.Client clientTls;
  /** Bytes the server wrapped after the handshake that the client has not read yet (a TLS 1.3 session ticket). */
  private int pendingBefore;

  @BeforeEach
  void startTls() throws Exception {
    TestPki.Cert ca = new TestPki(dir).ca("bulk-ca");
    serverTls = new SslContextFactory.Server();
    serverTls.setKeyStore(ca.issue("server", "localhost").keyStore(PASSWORD));
    serverTls.setKeyStorePassword(new String(PASSWORD));
    serverTls.start();
    clientTls = new SslContextFactory.Client();
    clientTls.setTrustStore(ca.trustStore());
    clientTls.start();
  }

  @AfterEach
  void stopTls() throws Exception {
    serverTls.stop();
    clientTls.stop();
  }

  /** A TLS 1.2/1.3 application-data record header announcing {@code length} bytes, then {@code body} of them. */
  private static ByteBuffer record(int length, int body) {
    ByteBuffer b = ByteBuffer.allocate(BulkSslConnection.RECORD_HEADER_BYTES + body);
    b.put((byte) 23).put((byte) 3).put((byte) 3).putShort((short) length);
    b.position(b.limit()).flip();
    return b;
  }

  @Test
  void aWholeRecordNeedsNoRead() {
    assertTrue(BulkSslConnection.holdsWholeRecord(record(16_401, 16_401)));
    assertTrue(BulkSslConnection.holdsWholeRecord(record(0, 0)));
    assertTrue(BulkSslConnection.holdsWholeRecord(record(100, 250)), "a whole record and part of the next");
  }

  @Test
  void aPartialRecordOrHeaderNeedsARead() {
    assertFalse(BulkSslConnection.holdsWholeRecord(record(16_401, 16_400)));
    assertFalse(BulkSslConnection.holdsWholeRecord(ByteBuffer.allocate(0)));
    ByteBuffer header = record(10, 10);
    header.limit(4);
    assertFalse(BulkSslConnection.holdsWholeRecord(header), "not even the length yet");
  }

  @Test
  void onlyATlsHeaderCounts() {
    ByteBuffer sslv2 = ByteBuffer.allocate(5 + 770);
    sslv2.put((byte) 0xbf).put((byte) 0xff).put((byte) 1).put((byte) 3).put((byte) 1).position(sslv2.limit()).flip();
    assertFalse(BulkSslConnection.holdsWholeRecord(sslv2), "an SSLv2-style header: the engine reads another length");
    ByteBuffer oldVersion = record(10, 10);
    oldVersion.put(1, (byte) 2); // major version 2
    assertFalse(BulkSslConnection.holdsWholeRecord(oldVersion));
    assertFalse(BulkSslConnection.holdsWholeRecord(record(BulkSslConnection.MAX_RECORD_BODY_BYTES + 1,
        BulkSslConnection.MAX_RECORD_BODY_BYTES + 1)), "longer than TLS allows");
    assertTrue(BulkSslConnection.holdsWholeRecord(record(BulkSslConnection.MAX_RECORD_BODY_BYTES,
        BulkSslConnection.MAX_RECORD_BODY_BYTES)));
  }

  @Test
  void skipsTheReadOnceForAWholeRecordThenReadsIfTheEngineDidNotTakeIt() throws Exception {
    ByteArrayEndPoint socket = new ByteArrayEndPoint();
    socket.addInput("more");
    BulkSslConnection connection = new BulkSslConnection(new ArrayByteBufferPool(), Runnable::run, serverTls,
        socket, serverTls.newSSLEngine());
    ByteBuffer records = ByteBuffer.allocate(100);
    records.put(record(10, 10)).flip();

    assertEquals(0, connection.networkFill(records), "a whole record waits: no read");
    assertEquals(15, records.remaining());
    assertEquals(4, connection.networkFill(records), "the same bytes again: the engine wants more, so read");
    assertEquals(19, records.remaining());
    assertTrue(BulkSslConnection.holdsWholeRecord(records));
    assertEquals(0, connection.networkFill(records), "new bytes: skipping is allowed again");
  }

  @Test
  void readsTheRecordAtTheBuffersPosition() {
    ByteBuffer b = ByteBuffer.allocate(3 + BulkSslConnection.RECORD_HEADER_BYTES + 16_600);
    b.position(3).put(record(16_600, 16_600)).flip().position(3); // a length whose low byte is 0xd8
    assertTrue(BulkSslConnection.holdsWholeRecord(b));
    b.limit(b.limit() - 1);
    assertFalse(BulkSslConnection.holdsWholeRecord(b));
  }

  @Test
  void oneWrapEncryptsRecordsWhileAnotherFitsAndThePeerReadsThemBack() throws Exception {
    SSLEngine server = serverTls.newSSLEngine();
    server.setUseClientMode(false);
    SSLEngine client = clientTls.newSSLEngine("localhost", 79);
    client.setUseClientMode(true);
    ByteBuffer toClient = ByteBuffer.allocate(BulkSslConnection.ENCRYPTED_BYTES);
    handshake(client, server, toClient);
    BulkSslConnection connection = new BulkSslConnection(new ArrayByteBufferPool(), Runnable::run, serverTls,
        new ByteArrayEndPoint(), server);

    byte[] text = new byte[60_000];
    for (int i = 0; i < text.length; i++) {
      text[i] = (byte) (i * 31);
    }
    ByteBuffer in = ByteBuffer.wrap(text);
    SSLEngineResult result = connection.wrap(server, new ByteBuffer[] {in}, toClient);
    // Three records fit in the 64 KiB buffer, with room for no fourth: more text than two records hold.
    int consumed = result.bytesConsumed();
    assertEquals(SSLEngineResult.Status.OK, result.getStatus());
    assertTrue(consumed > 2 * RECORD_TEXT_BYTES && consumed <= 3 * RECORD_TEXT_BYTES, consumed + " bytes");
    assertEquals(toClient.position(), result.bytesProduced() + pendingBefore);
    assertEquals(text.length - consumed, in.remaining());

    toClient.flip();
    ByteBuffer got = ByteBuffer.allocate(text.length);
    while (toClient.hasRemaining()) { // the session ticket, if the server sent one, then the records
      assertTrue(client.unwrap(toClient, got).bytesConsumed() > 0, "the client could not read a record");
    }
    assertArrayEquals(Arrays.copyOf(text, consumed), Arrays.copyOf(got.array(), got.position()));
  }

  private void handshake(SSLEngine client, SSLEngine server, ByteBuffer toClient) throws Exception {
    ByteBuffer toServer = ByteBuffer.allocate(BulkSslConnection.ENCRYPTED_BYTES);
    ByteBuffer ignored = ByteBuffer.allocate(BulkSslConnection.ENCRYPTED_BYTES);
    client.beginHandshake();
    server.beginHandshake();
    for (int i = 0; i < 100 && (handshaking(client) || handshaking(server)); i++) {
      step(client, toServer);
      step(server, toClient);
      toServer.flip();
      server.unwrap(toServer, ignored);
      toServer.compact();
      toClient.flip();
      client.unwrap(toClient, ignored);
      toClient.compact();
    }
    assertFalse(handshaking(client) || handshaking(server), "handshake did not finish");
    server.wrap(ByteBuffer.allocate(0), toClient); // anything the server still owes (tickets) goes first
    pendingBefore = toClient.position();
  }

  private static boolean handshaking(SSLEngine engine) {
    HandshakeStatus s = engine.getHandshakeStatus();
    return s != HandshakeStatus.NOT_HANDSHAKING && s != HandshakeStatus.FINISHED;
  }

  private static void step(SSLEngine engine, ByteBuffer out) throws Exception {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
      engine.wrap(ByteBuffer.allocate(0), out);
    }
  }
}
