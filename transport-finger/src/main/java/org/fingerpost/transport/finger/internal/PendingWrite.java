package org.fingerpost.transport.finger.internal;

/**
 * The one data chunk an exchange has in flight and the two calls that finish it: {@code
 * EndPoint.write} returning, and the write's callback. Whichever comes second continues the
 * producer, so that a write completing inline does not run the producer's {@code next} inside its
 * own {@code onData} (which would recurse through the producer).
 *
 * <p><b>Threads.</b> Not thread-safe: every call is made under the owning exchange's lock.
 */
final class PendingWrite {
  private boolean writing; // a data chunk is being written
  private boolean writeReturned; // EndPoint.write for that chunk returned
  private boolean completedEarly; // the chunk's write completed before EndPoint.write returned
  private Runnable next; // the producer's continuation for that chunk

  /** A chunk is about to be written; {@code next} continues the producer once it is. */
  void start(Runnable next) {
    if (writing) {
      throw new IllegalStateException("onData before the previous chunk's next ran");
    }
    writing = true;
    writeReturned = false;
    completedEarly = false;
    this.next = next;
  }

  /**
   * One of the two calls: {@code fromCallback} false when {@code EndPoint.write} returned, true when
   * the write completed.
   *
   * @return whether the chunk is now finished (this was the second call); then {@link #takeNext}
   */
  boolean finish(boolean fromCallback) {
    if (fromCallback && !writeReturned) {
      completedEarly = true;
      return false;
    }
    if (!fromCallback) {
      writeReturned = true;
      if (!completedEarly) {
        return false;
      }
    }
    writing = false;
    return true;
  }

  /** The producer's continuation, once (null afterwards or after {@link #drop}). */
  Runnable takeNext() {
    Runnable n = next;
    next = null;
    return n;
  }

  /** The exchange closed: the producer is not continued. */
  void drop() {
    next = null;
  }

  /** Whether a chunk is being written (started and not yet finished). */
  boolean writing() {
    return writing;
  }
}
