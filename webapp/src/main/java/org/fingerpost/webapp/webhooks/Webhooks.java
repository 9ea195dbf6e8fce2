package org.fingerpost.webapp.webhooks;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.Closeable;
import java.util.Objects;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.events.EventQueues;
import org.fingerpost.webapp.webhooks.internal.WebhookReceiver;

/**
 * The webhook endpoint's state ({@code POST /api/connection/<name>/payload}): its configuration, the
 * event queues it writes and the receiver the REST resource calls. Made by the web tier's services;
 * {@link #close()} stops the queue writer's threads and the Pagure HTTP client (the registry belongs
 * to the caller). Thread-safe.
 */
public final class Webhooks implements Closeable {
  private final WebhookConnections connections;
  private final EventQueues queues;
  private final WebhookReceiver receiver;

  public Webhooks(WebhookConnections connections, Registry registry, MeterRegistry meters) {
    this.connections = Objects.requireNonNull(connections, "connections");
    this.queues = new EventQueues(registry, connections.persistTimeout(), connections.batchWrites());
    this.receiver = new WebhookReceiver(connections, queues, meters);
  }

  public WebhookConnections connections() {
    return connections;
  }

  /** The queue writer (tests wait on {@link EventQueues#awaitSettled}). */
  public EventQueues eventQueues() {
    return queues;
  }

  /** The request handling behind the REST resource. */
  public WebhookReceiver receiver() {
    return receiver;
  }

  @Override
  public void close() {
    queues.close();
  }
}
