package org.fingerpost.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LocalHostnameTest {

  @Test
  void prefersTheCanonicalNameWhenItIsARealName() {
    assertEquals("ze01.example.org", LocalHostname.choose("ze01", "ze01.example.org"));
  }

  @Test
  void aLoopbackCanonicalNameFallsBackToTheHostName() {
    // /etc/hosts with "127.0.0.1 localhost" before "127.0.0.1 vm": getfqdn() says localhost.
    assertEquals("vm", LocalHostname.choose("vm", "localhost"));
    assertEquals("vm", LocalHostname.choose("vm", "localhost.localdomain"));
    assertEquals("vm", LocalHostname.choose("vm", "127.0.0.1"));
    assertEquals("vm", LocalHostname.choose("vm", "0:0:0:0:0:0:0:1"));
    assertEquals("vm", LocalHostname.choose("vm", null));
  }

  @Test
  void localhostOnlyWhenTheHostKnowsNoOtherName() {
    assertEquals("localhost", LocalHostname.choose("localhost", "localhost"));
    assertEquals("localhost", LocalHostname.choose(null, null));
  }

  @Test
  void thisHostGetsItsOwnNameUnlessItHasNoneButLocalhost() throws Exception {
    String name = LocalHostname.canonical();
    String system = InetAddress.getLocalHost().getHostName();
    assertFalse(name.isBlank());
    if (!LocalHostname.isLoopbackName(system)) {
      assertFalse(LocalHostname.isLoopbackName(name), name);
    }
    assertTrue(LocalHostname.isLoopbackName("ip6-localhost"));
  }
}
