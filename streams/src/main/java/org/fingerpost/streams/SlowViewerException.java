package org.fingerpost.streams;

import org.fingerpost.transport.StreamException;

/**
 * A viewer of a shared stream fell more than its buffer behind the shared upstream and was dropped
 * so that it could not slow the others (see {@link SharedStreams}). Its wire text is that of {@link
 * StreamException.Kind#INTERNAL}; the web tier closes websockets with 1008 and {@link #REASON}.
 */
public final class SlowViewerException extends StreamException {
  private static final long serialVersionUID = 1L;

  /** The close reason a websocket viewer sees. */
  public static final String REASON = "Viewer too slow";

  public SlowViewerException(String logMessage) {
    super(Kind.INTERNAL, logMessage);
  }
}
