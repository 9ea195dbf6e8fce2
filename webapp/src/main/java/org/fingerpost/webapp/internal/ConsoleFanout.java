package org.fingerpost.webapp.internal;

import org.fingerpost.webapp.WebServices;

/**
 * What the console-stream websockets of one web node share beyond their upstream (issue 15,
 * finding 3): the one decoding of each shared chunk ({@link SharedDecoding}) and the total budget of
 * their send buffers ({@link SendBudget}). One per installed endpoint, that is per node.
 *
 * <p><b>Threads.</b> Immutable; both parts are thread-safe.
 */
record ConsoleFanout(SharedDecoding decoding, SendBudget budget) {
  /** The node's fan-out parts, metered in its Prometheus registry; closes on its lookup threads. */
  static ConsoleFanout of(WebServices services) {
    return new ConsoleFanout(new SharedDecoding(services.prometheus()),
        new SendBudget(services.settings().sendBufferBudgetBytes(), services.lookups(), services.prometheus()));
  }
}
