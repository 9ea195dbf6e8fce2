package org.fingerpost.packaging;

/**
 * The {@code web} section: Zuul's {@code [web]} keys, kept so that an imported zuul.conf (and a YAML
 * file) can carry them for the web tier. Keys and defaults as in Zuul.
 */
public final class WebSection {
  /** Address the web server binds. */
  public String listenAddress = "127.0.0.1";
  /** TCP port of the web server. */
  public int port = 9000;
  /** The web node's zone, input of the routing rule; unset means unzoned. */
  public String zone;
}
