package org.fingerpost.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This host's name as others should see it, the default of the {@code hostname} setting (like Zuul's FQDN). */
final class LocalHost {
  private LocalHost() {}

  static String canonicalName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
