package org.fingerpost.transport.tls;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** Collects the formatted log lines of some loggers, so tests can assert what an operator would read. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
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
    notifyAll();
  }

  /** The number of lines so far: pass it to {@link #await} to look only at later lines. */
  public synchronized int mark() {
    return lines.size();
  }

  /** The first line after {@code from} containing every one of {@code parts}, waiting up to 15 s for it. */
  public synchronized String await(int from, String... parts) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    while (true) {
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
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        throw new AssertionError("no log line with " + List.of(parts) + " among " + lines.subList(from, lines.size()));
      }
      TimeUnit.MILLISECONDS.timedWait(this, left);
    }
  }

  @Override
  public void close() {
    loggers.forEach(l -> l.detachAppender(this));
    stop();
  }
}
