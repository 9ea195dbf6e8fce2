package org.fingerpost.transport.finger.internal;

/** Where one server-side finger exchange is in its life; see {@link ServerExchange}. */
enum ExchangePhase {
  /** Waiting for the request line. */
  REQUEST,
  /** The handler owns the exchange and may write. */
  STREAMING,
  /** Terminal call made or request rejected: the last bytes are written, then the output shut. */
  CLOSING,
  /** The socket is closed (or being closed). */
  CLOSED
}
