package org.fingerpost.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.fingerpost.streams.LookupRateLimit;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 6: a client address past its lookup rate reads {@code Too many requests} without a
 * lookup, while another address is still answered.
 */
@Timeout(60)
class LookupRateLimitGatewayTest {
  @TempDir
  Path jobDir;

  private static String fetch(String source, int port, String line) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(source, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), RawFingerClient.READ_TIMEOUT_MS);
      s.setSoTimeout(RawFingerClient.READ_TIMEOUT_MS);
      s.getOutputStream().write(line.getBytes(UTF_8));
      return new String(s.getInputStream().readAllBytes(), UTF_8);
    }
  }

  @Test
  void aClientPastItsBurstIsRefusedAndAnotherAddressIsServed() throws Exception {
    try (GatewayCluster cluster = GatewayCluster.start(jobDir);
        Gateway gateway = new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("127.0.0.1").lookupRateLimit(LookupRateLimit.of(0.001, 3)).build(),
            cluster.registry, cluster.transports)) {
      gateway.start();
      for (int i = 0; i < 3; i++) {
        assertEquals("Build not found", fetch("127.0.0.1", gateway.port(), "abc" + i + "\n"));
      }
      assertEquals(LookupRateLimit.REFUSAL, fetch("127.0.0.1", gateway.port(), "abc9\n"));
      assertEquals("Build not found", fetch("127.0.0.2", gateway.port(), "abc9\n"));
    }
  }
}
