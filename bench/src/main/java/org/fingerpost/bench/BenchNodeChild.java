package org.fingerpost.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link BenchNode} child JVM as {@link ManyStreams} drives it: started with the benchmark's class
 * path, its port read from its {@code PORT} line, questions ({@code GC}, {@code STATS}, {@code NMT})
 * asked on its stdin and answered on its stdout. Not thread-safe: one caller per child.
 */
final class BenchNodeChild {
  private BenchNodeChild() {}

  /** Starts {@code BenchNode args...} in a JVM with the options {@code jvm} (space-separated); stderr dropped. */
  static Process start(String jvm, String... args) throws IOException {
    return new ProcessBuilder(ChildJvm.command(jvm, null, BenchNode.class, args)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Reads the child's stdout up to its {@code PORT <n>} line. */
  static int port(Process p) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.startsWith("PORT ")) {
        return Integer.parseInt(line.substring(5).trim());
      }
    }
    throw new IOException("child " + p.pid() + " ended before listening (exit " + p.exitValue() + ")");
  }

  /** Heap used after a full collection in the child, in bytes. */
  static long heapAfterGc(Process p) throws IOException {
    return Long.parseLong(ask(p, "GC").trim());
  }

  /** Heap used in the child, in bytes; -1 when it does not say. */
  static long heapUsed(Process p) throws IOException {
    String v = ask(p, "STATS");
    return v.isEmpty() ? -1 : Long.parseLong(v.trim());
  }

  /** Sends {@code command} to a {@link BenchNode} and returns the rest of its answer line. */
  static String ask(Process p, String command) throws IOException {
    p.getOutputStream().write((command + "\n").getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().flush();
    // Not buffered: a BufferedReader would swallow lines meant for a later question.
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    java.io.InputStream in = p.getInputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c != '\n') {
        line.write(c);
        continue;
      }
      String s = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (s.startsWith(command + " ")) {
        return s.substring(command.length() + 1);
      }
    }
    return "";
  }

  /** "Total" and the four largest committed NMT categories, e.g. {@code total 850, Other 640, Java Heap 120}. */
  static String nmtTop(String nmt) {
    Matcher total = Pattern.compile("Total: reserved=\\d+MB, committed=(\\d+)MB").matcher(nmt);
    if (!total.find()) {
      return "n/a";
    }
    Matcher m = Pattern.compile("-\\s+([A-Za-z ]+?) \\(reserved=\\d+MB, committed=(\\d+)MB\\)").matcher(nmt);
    List<Map.Entry<String, Integer>> cats = new ArrayList<>();
    while (m.find()) {
      cats.add(Map.entry(m.group(1).trim(), Integer.parseInt(m.group(2))));
    }
    cats.sort((a, b) -> b.getValue() - a.getValue());
    StringBuilder s = new StringBuilder("total " + total.group(1));
    cats.stream().limit(4).forEach(e -> s.append(", ").append(e.getKey()).append(' ').append(e.getValue()));
    return s.toString();
  }
}
