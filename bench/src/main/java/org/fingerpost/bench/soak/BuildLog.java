package org.fingerpost.bench.soak;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * One soak build: its job directory's {@code job-output.txt} and the text it must hold. Line
 * {@code seq} of build {@code index} is a pure function of both ({@link #line}), so a client's bytes
 * can be checked line by line without keeping the log in memory, and the file itself is checked
 * against the same function at the end.
 *
 * <p>Lines are ASCII (one byte is one websocket character), of varying length, and start with their
 * eight-digit sequence number, which tells a duplicated or skipped line from a corrupted one.
 *
 * <p>Threads: {@link #append} is called by the writer thread only (and serialised); {@link #size}
 * and {@link #lines} are read by any thread.
 */
final class BuildLog {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 .:-_/=";
  /** Shortest and longest random part of a line, characters. */
  private static final int MIN_PAYLOAD = 20;
  private static final int PAYLOAD_SPREAD = 120;

  final int index;
  final String uuid;
  final String zone;
  final Path file;
  private final FileChannel out;
  private volatile long size;
  private volatile long lines;

  private BuildLog(int index, String uuid, String zone, Path file, FileChannel out) {
    this.index = index;
    this.uuid = uuid;
    this.zone = zone;
    this.file = file;
    this.out = out;
  }

  /**
   * Creates {@code <jobDir>/<uuid>/work/logs/job-output.txt}, empty, and opens it for appending; the
   * uuid is the run's random {@code run} number and {@code index}, in hex.
   */
  static BuildLog create(int index, String zone, Path jobDir, long run) throws IOException {
    String uuid = String.format("%016x%016x", run, index);
    Path file = jobDir.resolve(uuid).resolve("work/logs/job-output.txt");
    Files.createDirectories(file.getParent());
    FileChannel out =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    return new BuildLog(index, uuid, zone, file, out);
  }

  /** Line {@code seq} of build {@code index}, newline included. */
  static String line(int index, long seq) {
    SplittableRandom r = new SplittableRandom(index * 0x9E3779B97F4A7C15L + seq);
    int len = MIN_PAYLOAD + r.nextInt(PAYLOAD_SPREAD);
    StringBuilder b = new StringBuilder(len + 16);
    String s = Long.toString(seq);
    for (int i = s.length(); i < 8; i++) {
      b.append('0');
    }
    b.append(s).append(" b").append(index).append(' ');
    for (int i = 0; i < len; i++) {
      b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return b.append('\n').toString();
  }

  String line(long seq) {
    return line(index, seq);
  }

  /** The sequence number a line starts with, or -1 when it does not start with eight digits. */
  static long seqOf(String line) {
    if (line.length() < 9 || line.charAt(8) != ' ') {
      return -1;
    }
    long seq = 0;
    for (int i = 0; i < 8; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      seq = seq * 10 + (c - '0');
    }
    return seq;
  }

  /** Appends lines until at least {@code minLines} lines and {@code minBytes} bytes went, in one write. */
  synchronized void append(long minLines, long minBytes) throws IOException {
    StringBuilder b = new StringBuilder();
    long n = lines;
    while (n - lines < minLines || b.length() < minBytes) {
      b.append(line(n++));
    }
    ByteBuffer bytes = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII));
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
    size += b.length();
    lines = n;
  }

  long size() {
    return size;
  }

  long lines() {
    return lines;
  }

  /**
   * Compares the file on disk with the lines it must hold; returns the number of bytes that differ
   * or are missing or extra (0 when the file is exactly the expected text).
   */
  long checkFile() throws IOException {
    byte[] disk = Files.readAllBytes(file);
    long bad = Math.abs(disk.length - size);
    int pos = 0;
    for (long seq = 0; seq < lines && pos < disk.length; seq++) {
      byte[] want = line(seq).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < want.length; i++, pos++) {
        if (pos >= disk.length || disk[pos] != want[i]) {
          bad++;
        }
      }
    }
    return bad;
  }

  void close() throws IOException {
    out.close();
  }
}
