package org.fingerpost.transport.finger.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BulkReadSslConnectionTest {

  /** A TLS 1.2/1.3 application-data record header announcing {@code length} bytes, then {@code body} of them. */
  private static ByteBuffer record(int length, int body) {
    ByteBuffer b = ByteBuffer.allocate(BulkReadSslConnection.RECORD_HEADER_BYTES + body);
    b.put((byte) 23).put((byte) 3).put((byte) 3).putShort((short) length);
    b.position(b.limit()).flip();
    return b;
  }

  @Test
  void aWholeRecordNeedsNoRead() {
    assertTrue(BulkReadSslConnection.holdsWholeRecord(record(16_401, 16_401)));
    assertTrue(BulkReadSslConnection.holdsWholeRecord(record(0, 0)));
    assertTrue(BulkReadSslConnection.holdsWholeRecord(record(100, 250)), "a whole record and part of the next");
  }

  @Test
  void aPartialRecordOrHeaderNeedsARead() {
    assertFalse(BulkReadSslConnection.holdsWholeRecord(record(16_401, 16_400)));
    assertFalse(BulkReadSslConnection.holdsWholeRecord(ByteBuffer.allocate(0)));
    ByteBuffer header = record(10, 10);
    header.limit(4);
    assertFalse(BulkReadSslConnection.holdsWholeRecord(header), "not even the length yet");
  }

  @Test
  void readsTheRecordAtTheBuffersPosition() {
    ByteBuffer b = ByteBuffer.allocate(3 + BulkReadSslConnection.RECORD_HEADER_BYTES + 40_000);
    b.position(3).put(record(40_000, 40_000)).flip().position(3); // a record whose length has a high byte of 0x9c
    assertTrue(BulkReadSslConnection.holdsWholeRecord(b));
    b.limit(b.limit() - 1);
    assertFalse(BulkReadSslConnection.holdsWholeRecord(b));
  }
}
