package org.fingerpost.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

class ConnectionCountsTest {
  private static final InetAddress A = InetAddress.getLoopbackAddress();
  private static final InetAddress B = address(10, 0, 0, 2);

  @Test
  void pastThePerAddressLimitThatAddressIsRefusedAndOthersAreCounted() {
    ConnectionCounts counts = new ConnectionCounts(0, 2);
    assertNull(counts.admit("a1", A));
    assertNull(counts.admit("a2", A));
    assertEquals("max_connections_per_ip (2) open from that address", counts.admit("a3", A));
    assertNull(counts.admit("b1", B));
    assertEquals(2, counts.open(A));
    assertEquals(3, counts.open());
  }

  @Test
  void pastTheTotalEveryAddressIsRefusedAnUnknownOneToo() {
    ConnectionCounts counts = new ConnectionCounts(2, 0);
    assertNull(counts.admit("a1", A));
    assertNull(counts.admit("unknown", null));
    assertEquals("max_connections (2) open", counts.admit("b1", B));
    assertEquals("max_connections (2) open", counts.admit("unknown2", null));
  }

  @Test
  void anUnknownAddressCountsTowardTheTotalOnly() {
    ConnectionCounts counts = new ConnectionCounts(0, 1);
    assertNull(counts.admit("x", null));
    assertNull(counts.admit("y", null));
    assertNull(counts.admit("a1", A));
    assertEquals(3, counts.open());
    assertEquals(1, counts.open(A));
  }

  @Test
  void aReleaseFreesItsPlaceOnceAndARefusedKeyWasNeverCounted() {
    ConnectionCounts counts = new ConnectionCounts(0, 1);
    assertNull(counts.admit("a1", A));
    assertEquals("max_connections_per_ip (1) open from that address", counts.admit("a2", A));
    assertFalse(counts.release("a2"));
    assertTrue(counts.release("a1"));
    assertFalse(counts.release("a1"));
    assertEquals(0, counts.open(A));
    assertNull(counts.admit("a3", A));
  }

  @Test
  void noLimitsCountsEverything() {
    ConnectionCounts counts = new ConnectionCounts(0, 0);
    for (int i = 0; i < 100; i++) {
      assertNull(counts.admit(i, A));
    }
    assertEquals(100, counts.open(A));
  }

  @Test
  void theClientAddressOfAnAcceptedSocketIsItsPeersAndOfAnotherChannelNull() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(A, 0));
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept()) {
      assertEquals(A, ConnectionCounts.clientAddress(accepted));
      assertNull(ConnectionCounts.clientAddress(server));
    }
  }

  private static InetAddress address(int... bytes) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) bytes[0], (byte) bytes[1], (byte) bytes[2], (byte) bytes[3]});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
