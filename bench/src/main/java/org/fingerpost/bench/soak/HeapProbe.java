package org.fingerpost.bench.soak;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fingerpost.bench.Jcmd;

/**
 * The live heap of a JVM daemon: a full collection, then the heap in use, through the JDK's {@code
 * jcmd} ({@code GC.run}, {@code GC.heap_info}). RSS alone cannot tell a leak from a heap that grew into
 * its {@code -Xmx} and was kept; the heap after a full collection can. Stateless.
 */
final class HeapProbe {
  /** The heap lines of {@code GC.heap_info}: Serial's two generations, or G1's and Parallel's whole heap. */
  private static final Pattern USED = Pattern.compile("(?:generation|heap)\\s+total \\d+K, used (\\d+)K");

  private HeapProbe() {}

  /** KiB of heap in use after a full collection of JVM {@code pid}; -1 when it cannot say. */
  static long liveHeapKb(long pid) {
    try {
      if (Jcmd.run(pid, "GC.run") == null) {
        return -1;
      }
      String info = Jcmd.run(pid, "GC.heap_info");
      if (info == null) {
        return -1;
      }
      long used = 0;
      boolean any = false;
      Matcher m = USED.matcher(info);
      while (m.find()) {
        used += Long.parseLong(m.group(1));
        any = true;
      }
      return any ? used : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

}
