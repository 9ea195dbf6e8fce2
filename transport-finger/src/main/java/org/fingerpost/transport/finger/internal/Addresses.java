package org.fingerpost.transport.finger.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Formats socket addresses for logs. Stateless. */
public final class Addresses {
  private Addresses() {}

  /** {@code host:port}, IPv6 literals in brackets, without the {@code /} of {@link InetSocketAddress#toString()}. */
  public static String format(SocketAddress address) {
    if (address instanceof InetSocketAddress) {
      InetSocketAddress a = (InetSocketAddress) address;
      String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
    return String.valueOf(address);
  }
}
