package org.fingerpost.transport.tls;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.awaitility.core.ConditionTimeoutException;
import org.fingerpost.testing.Await;
import org.slf4j.LoggerFactory;

/** Collects the formatted log lines of some loggers, so tests can assert what an operator would read. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  /** Longest {@link #await} waits for a line. */
  static final Duration WAIT = Duration.ofSeconds(15);
  private final List<Logger> loggers = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();

  public LogCapture(Class<?>... classes) {
    this(names(classes));
  }

  public LogCapture(String... loggerNames) {
    start();
    for (String name : loggerNames) {
      Logger l = (Logger) LoggerFactory.getLogger(name);
      l.addAppender(this);
      loggers.add(l);
    }
  }

  private static String[] names(Class<?>... classes) {
    String[] n = new String[classes.length];
    for (int i = 0; i < classes.length; i++) {
      n[i] = classes[i].getName();
    }
    return n;
  }

  @Override
  protected synchronized void append(ILoggingEvent e) {
    lines.add(e.getLevel() + " " + e.getFormattedMessage());
  }

  /** The number of lines so far: pass it to {@link #await} to look only at later lines. */
  public synchronized int mark() {
    return lines.size();
  }

  /** The first line after {@code from} containing every one of {@code parts}, waiting up to {@link #WAIT} for it. */
  public String await(int from, String... parts) {
    try {
      return Await.await("a log line with " + List.of(parts)).atMost(WAIT).until(() -> find(from, parts), Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no log line with " + List.of(parts) + " among " + since(from), e);
    }
  }

  private synchronized String find(int from, String... parts) {
    for (int i = from; i < lines.size(); i++) {
      String line = lines.get(i);
      boolean all = true;
      for (String p : parts) {
        all &= line.contains(p);
      }
      if (all) {
        return line;
      }
    }
    return null;
  }

  private synchronized List<String> since(int from) {
    return List.copyOf(lines.subList(from, lines.size()));
  }

  @Override
  public void close() {
    loggers.forEach(l -> l.detachAppender(this));
    stop();
  }
}
