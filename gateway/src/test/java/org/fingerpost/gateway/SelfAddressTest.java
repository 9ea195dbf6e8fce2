package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fingerpost.transport.StreamTarget.Endpoint;
import org.junit.jupiter.api.Test;

/** Which registry endpoints are a gateway's own address (never a route: it would loop). */
class SelfAddressTest {
  @Test
  void registeredHostnameWithThePublicOrBoundPort() {
    SelfAddress self = new SelfAddress("gw.example.org", "::", 79);
    self.bound(7979);
    assertTrue(self.test(new Endpoint("gw.example.org", 79, false)));
    assertTrue(self.test(new Endpoint("GW.example.org.", 7979, true)), "case, trailing dot and TLS ignored");
    assertTrue(self.test(new Endpoint("localhost", 7979, false)), "listening everywhere: loopback is itself");
    assertTrue(self.test(new Endpoint("127.0.0.1", 7979, false)));
    assertTrue(self.test(new Endpoint("[::1]", 7979, false)));
    assertFalse(self.test(new Endpoint("127.0.0.1", 79, false)), "the public port may map elsewhere");
    assertFalse(self.test(new Endpoint("gw-b.example.org", 79, false)), "another gateway on the same port");
    assertFalse(self.test(new Endpoint("gw.example.org", 80, false)));
  }

  @Test
  void listenAddressWithTheBoundPort() {
    SelfAddress self = new SelfAddress("gw.example.org", "10.0.0.5", null);
    assertFalse(self.test(new Endpoint("10.0.0.5", 7979, false)), "not bound yet");
    self.bound(7979);
    assertTrue(self.test(new Endpoint("10.0.0.5", 7979, false)));
    assertTrue(self.test(new Endpoint("gw.example.org", 7979, false)));
    assertFalse(self.test(new Endpoint("127.0.0.1", 7979, false)), "not listening on loopback");
  }
}
