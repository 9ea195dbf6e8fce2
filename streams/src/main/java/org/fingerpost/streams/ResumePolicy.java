package org.fingerpost.streams;

import java.time.Duration;
import java.util.Objects;

/**
 * How a stream front resumes a build's log when its upstream ends or breaks while the registry says the
 * build is still running (docs/design.md 4, "the end of a log means the end of the log"; docs/operations.md
 * "When an upstream goes away"). Immutable.
 *
 * @param attempts resume attempts in a row that deliver no byte before the client gets the error
 *     ({@code Internal streaming error} on finger, websocket close 1011 {@code Remote error}); at least 0
 *     (0: never resume)
 * @param firstBackoff wait before the second attempt in a row; the first one is made at once (another
 *     route is usually there already: the zone's other gateway, the executor)
 * @param maxBackoff the wait doubles from {@code firstBackoff} up to this
 * @param errorTextGrace how long a chunk that ends in an upstream's error text ({@code Internal streaming
 *     error} of a gateway hop, {@code Build ID ... not found} of a streamer asked for an offset) is held
 *     back waiting for the connection to close: closed within it, the text was the upstream's error, not
 *     log bytes, and is not passed on; otherwise the chunk is passed on unchanged
 */
public record ResumePolicy(int attempts, Duration firstBackoff, Duration maxBackoff, Duration errorTextGrace) {
  /** Default {@link #attempts}: 6, that is about 7.75 s of trying with the default backoff. */
  public static final int DEFAULT_ATTEMPTS = 6;
  /** Default {@link #firstBackoff}: 250 ms. */
  public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(250);
  /** Default {@link #maxBackoff}: 4 s. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(4);
  /** Default {@link #errorTextGrace}: 1 s. */
  public static final Duration DEFAULT_ERROR_TEXT_GRACE = Duration.ofSeconds(1);
  /** The defaults above. */
  public static final ResumePolicy DEFAULT = new ResumePolicy(DEFAULT_ATTEMPTS, DEFAULT_FIRST_BACKOFF,
      DEFAULT_MAX_BACKOFF, DEFAULT_ERROR_TEXT_GRACE);

  public ResumePolicy {
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0: " + attempts);
    }
    Objects.requireNonNull(firstBackoff, "firstBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(errorTextGrace, "errorTextGrace");
  }

  /** The wait before attempt {@code n} in a row without progress (1-based): 0 for the first, then doubling. */
  public Duration backoff(int n) {
    if (n <= 1) {
      return Duration.ZERO;
    }
    long ms = firstBackoff.toMillis() << Math.min(n - 2, 20);
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }
}
