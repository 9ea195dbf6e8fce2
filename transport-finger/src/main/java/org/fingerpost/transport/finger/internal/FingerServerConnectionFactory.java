package org.fingerpost.transport.finger.internal;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.Connector;

/**
 * Creates one {@link FingerServerConnection} per accepted socket (after the TLS layer, when the
 * connector has one). Thread-safe.
 */
public final class FingerServerConnectionFactory extends AbstractConnectionFactory {

  /** The protocol name this factory registers under on the connector. */
  public static final String PROTOCOL = "finger";

  private final ServerSettings settings;

  public FingerServerConnectionFactory(ServerSettings settings) {
    super(PROTOCOL);
    this.settings = settings;
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    return configure(new FingerServerConnection(endPoint, connector.getExecutor(), connector.getScheduler(),
        settings), connector, endPoint);
  }
}
