package org.fingerpost.transport.finger;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed finger request: the build whose log the client wants (docs/design.md 3.1).
 *
 * <p>The wire format is one UTF-8 line ending in {@code \n}, at most {@link #MAX_LINE_BYTES} bytes
 * including the terminator, sent within {@link #REQUEST_TIMEOUT} of connecting. Trailing whitespace
 * (the {@code \r} of {@code \r\n}) is stripped and an optional leading {@code /W } (what {@code finger
 * -l} sends) is accepted. The build id must be hex digits only ({@code [0-9A-Fa-f]+}, Zuul's uuid4
 * hex), so nothing else ever reaches a file path or a ZooKeeper key.
 *
 * <p><b>Offset extension.</b> {@code <id>@<offset>} (decimal, at most 18 digits) asks for the log from
 * byte {@code offset} ({@link #offset()}); see {@link #OFFSET_SEPARATOR}. Servers that support it
 * advertise {@link #OFFSET_CAPABILITY} in their registry entry.
 *
 * <p><b>Hops extension.</b> A trailing {@code +<hops>} (1 to 3 digits) counts the relaying nodes the
 * request has passed ({@link #hops()}, 0 without it): a gateway refuses a request that already made
 * {@code MAX_HOPS} hops, so a routing loop ends with an error instead of hanging. Sent only to gateways
 * advertising {@link #HOPS_CAPABILITY}.
 *
 * <p>Immutable and thread-safe.
 */
public final class FingerRequest {

  /**
   * Longest request line accepted, in bytes, counting its {@code \n} terminator (and {@code \r} if
   * any). Longer lines close the connection (Zuul: 1024).
   */
  public static final int MAX_LINE_BYTES = 1024;

  /** Time a client has from connecting until its request line is complete (Zuul: 10 s). */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** The prefix {@code finger -l} (long format) puts before the user name; ignored. */
  static final String LONG_FORMAT_PREFIX = "/W ";

  private static final Pattern BUILD_ID = Pattern.compile("[0-9A-Fa-f]+");

  /**
   * Separates the build id from a start offset in the {@code offset} extension: {@code
   * <uuid>@<offset>\n}. A Zuul streamer's hex-only build-id check rejects such a line with an error text
   * rather than misreading it, and Fingerpost only sends it to peers advertising {@link
   * #OFFSET_CAPABILITY}.
   */
  public static final char OFFSET_SEPARATOR = '@';
  /** The capability name a component lists in its registry entry when it accepts offsets. */
  public static final String OFFSET_CAPABILITY = org.fingerpost.transport.StreamTarget.OFFSET_CAPABILITY;
  /** Separates the hop count: {@code <uuid>[@<offset>]+<hops>\n}. */
  public static final char HOPS_SEPARATOR = '+';
  /** The capability name of a gateway that accepts a hop count. */
  public static final String HOPS_CAPABILITY = org.fingerpost.transport.StreamTarget.HOPS_CAPABILITY;
  private static final Pattern HOPS = Pattern.compile("[0-9]{1,3}");
  /** Most digits of an offset (fits a long). */
  private static final int MAX_OFFSET_DIGITS = 18;
  private static final Pattern OFFSET = Pattern.compile("[0-9]{1," + MAX_OFFSET_DIGITS + "}");

  private final String buildId;
  private final boolean longFormat;
  private final long offset;
  private final int hops;

  private FingerRequest(String buildId, boolean longFormat, long offset, int hops) {
    this.buildId = buildId;
    this.longFormat = longFormat;
    this.offset = offset;
    this.hops = hops;
  }

  /** As {@link #line(String, long)}, with {@code +<hops>} when hops > 0 (only for {@link #HOPS_CAPABILITY} peers). */
  public static String line(String buildId, long offset, int hops) {
    String line = line(buildId, offset);
    return hops <= 0 ? line : line.substring(0, line.length() - 1) + HOPS_SEPARATOR + hops + "\n";
  }

  /** The request line for {@code buildId} from byte {@code offset}: {@code <id>\n}, or {@code <id>@<offset>\n} when offset > 0. */
  public static String line(String buildId, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    return offset == 0 ? buildId + "\n" : buildId + OFFSET_SEPARATOR + offset + "\n";
  }

  /**
   * Parses one request line.
   *
   * @param line the line without its {@code \n}; trailing whitespace including {@code \r} is stripped
   * @return the request, never null
   * @throws FingerProtocolException when the id is not hex digits (also for an empty line); its wire
   *     message is {@code Build ID <id> is not valid} with every character that is not printable
   *     ASCII replaced by {@code ?}
   */
  public static FingerRequest parse(String line) throws FingerProtocolException {
    Objects.requireNonNull(line, "line");
    String id = stripTrailingWhitespace(line);
    boolean longFormat = false;
    // "/W " with nothing after it has lost its space to the strip above.
    if (id.startsWith(LONG_FORMAT_PREFIX) || id.equals(LONG_FORMAT_PREFIX.strip())) {
      longFormat = true;
      id = id.substring(LONG_FORMAT_PREFIX.strip().length()).stripLeading();
    }
    int hops = 0;
    int plus = id.lastIndexOf(HOPS_SEPARATOR);
    if (plus > 0 && HOPS.matcher(id.substring(plus + 1)).matches()) {
      hops = Integer.parseInt(id.substring(plus + 1));
      id = id.substring(0, plus);
    }
    long offset = 0;
    int at = id.indexOf(OFFSET_SEPARATOR);
    if (at >= 0 && BUILD_ID.matcher(id.substring(0, at)).matches()
        && OFFSET.matcher(id.substring(at + 1)).matches()) {
      offset = Long.parseLong(id.substring(at + 1));
      id = id.substring(0, at);
    }
    if (!BUILD_ID.matcher(id).matches()) {
      throw new FingerProtocolException("Build ID " + printable(id) + " is not valid");
    }
    return new FingerRequest(id, longFormat, offset, hops);
  }

  /** Relaying nodes this request already passed: 0 from a person's client, what {@code +<hops>} said otherwise. */
  public int hops() {
    return hops;
  }

  /** The first byte of the log the client wants: 0, or what it sent after {@code @}. */
  public long offset() {
    return offset;
  }

  /** The requested build id: one or more hex digits, as the client sent them (case kept). */
  public String buildId() {
    return buildId;
  }

  /** Whether the client asked for the long format ({@code /W} prefix); it changes nothing here. */
  public boolean longFormat() {
    return longFormat;
  }

  /**
   * Replaces every character that is not printable ASCII ({@code 0x20..0x7E}) with {@code ?}, so a
   * client's bytes can be echoed to a terminal or a log without control sequences.
   */
  static String printable(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c >= 0x20 && c <= 0x7E;
      if (!ok && out == null) {
        out = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (out != null) {
        // A surrogate pair is one character to the reader: one '?'.
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        }
        out.append(ok ? c : '?');
      }
    }
    return out == null ? s : out.toString();
  }

  private static String stripTrailingWhitespace(String s) {
    int end = s.length();
    while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FingerRequest && ((FingerRequest) o).buildId.equals(buildId)
        && ((FingerRequest) o).longFormat == longFormat && ((FingerRequest) o).offset == offset
        && ((FingerRequest) o).hops == hops;
  }

  @Override
  public int hashCode() {
    return (buildId.hashCode() * 31 + (longFormat ? 1 : 0)) * 31 + Long.hashCode(offset);
  }

  @Override
  public String toString() {
    return (longFormat ? LONG_FORMAT_PREFIX : "") + buildId + (offset > 0 ? OFFSET_SEPARATOR + Long.toString(offset) : "")
        + (hops > 0 ? HOPS_SEPARATOR + Integer.toString(hops) : "");
  }
}
