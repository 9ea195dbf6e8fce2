package org.fingerpost.registry.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * JSON bytes exactly as Zuul writes them with Python's {@code json.dumps(value, sort_keys=True)
 * .encode("utf-8")}: separators {@code ", "} and {@code ": "}, object keys sorted by code point,
 * every character outside printable ASCII escaped as {@code \}{@code uXXXX} (lower-case hex,
 * surrogate pairs for characters beyond the BMP, as {@code ensure_ascii=True} does), floats as
 * Python's {@code repr} ({@code 1e-05}, {@code 1e+16}, {@code 100.0}, {@code NaN}, {@code
 * Infinity}), integers of any size in full. Zuul compares these bytes' length with its node limit,
 * so they must match byte for byte.
 *
 * <p>Known difference: Java 17's {@link Double#toString} is not always the shortest round-trip form
 * Python's {@code repr} prints (a handful of rare doubles print one digit longer); the value read
 * back is the same double.
 *
 * <p>Stateless and thread-safe.
 */
public final class PythonJson {
  /** Python's {@code repr} switches to exponent notation below this decimal exponent. */
  static final int MIN_FIXED_EXPONENT = -4;
  /** ... and at or above this one. */
  static final int MAX_FIXED_EXPONENT = 16;

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** Python sorts {@code str} keys by code point (Java's {@code compareTo} compares UTF-16 units). */
  static final Comparator<String> CODE_POINT_ORDER = PythonJson::compareCodePoints;

  private PythonJson() {}

  /** The bytes of {@code json.dumps(value, sort_keys=True).encode("utf-8")}; ASCII only. */
  public static byte[] dumps(JsonNode value) {
    Out out = new Out(256);
    write(value, out);
    return out.toByteArray();
  }

  /** {@code json.dumps(text)}: the quoted, escaped form of one string. */
  public static byte[] dumpsString(String text) {
    Out out = new Out(text.length() + 2);
    writeString(text, out);
    return out.toByteArray();
  }

  private static void write(JsonNode node, Out out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        if (node.isEmpty()) {
          out.ascii("{}");
          return;
        }
        List<String> names = new ArrayList<>(node.size());
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        names.sort(CODE_POINT_ORDER);
        out.put('{');
        boolean first = true;
        for (String name : names) {
          if (!first) {
            out.ascii(", ");
          }
          first = false;
          writeString(name, out);
          out.ascii(": ");
          write(node.get(name), out);
        }
        out.put('}');
      }
      case ARRAY -> {
        if (node.isEmpty()) {
          out.ascii("[]");
          return;
        }
        out.put('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.ascii(", ");
          }
          write(node.get(i), out);
        }
        out.put(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case BOOLEAN -> out.ascii(node.booleanValue() ? "true" : "false");
      case NUMBER -> {
        if (node.isIntegralNumber()) {
          out.ascii(node.isBigInteger() ? node.bigIntegerValue().toString() : Long.toString(node.longValue()));
        } else {
          out.ascii(pythonFloat(node.doubleValue()));
        }
      }
      case NULL, MISSING -> out.ascii("null");
      default -> throw new IllegalArgumentException("Not JSON data: " + node.getNodeType());
    }
  }

  /** Python's {@code float.__repr__} as {@code json.dumps} writes it. */
  static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    String sign = d < 0 ? "-" : "";
    BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = exact.unscaledValue().toString();
    int decpt = digits.length() - exact.scale(); // value = 0.<digits> x 10^decpt
    int exponent = decpt - 1;
    StringBuilder s = new StringBuilder(sign);
    if (exponent >= MIN_FIXED_EXPONENT && exponent < MAX_FIXED_EXPONENT) {
      if (decpt <= 0) {
        s.append("0.").append("0".repeat(-decpt)).append(digits);
      } else if (decpt >= digits.length()) {
        s.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
      } else {
        s.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
      }
    } else {
      s.append(digits.charAt(0));
      if (digits.length() > 1) {
        s.append('.').append(digits, 1, digits.length());
      }
      s.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        s.append('0');
      }
      s.append(abs);
    }
    return s.toString();
  }

  private static void writeString(String text, Out out) {
    out.ensure(text.length() + 2);
    out.put('"');
    int n = text.length();
    int i = 0;
    while (i < n) {
      // A run of characters written as they are is copied in a tight loop, without the escape switch
      // or a capacity check per byte: a webhook body is mostly such runs.
      int run = i;
      while (run < n && plain(text.charAt(run))) {
        run++;
      }
      if (run > i) {
        out.latin1(text, i, run);
        i = run;
        continue;
      }
      char c = text.charAt(i++);
      switch (c) {
        case '"' -> out.ascii("\\\"");
        case '\\' -> out.ascii("\\\\");
        case '\n' -> out.ascii("\\n");
        case '\r' -> out.ascii("\\r");
        case '\t' -> out.ascii("\\t");
        case '\b' -> out.ascii("\\b");
        case '\f' -> out.ascii("\\f");
        default -> {
          // ensure_ascii: each UTF-16 unit as \\uXXXX, which is how Python writes non-BMP characters too.
          out.put('\\');
          out.put('u');
          out.putByte(HEX[(c >> 12) & 0xf]);
          out.putByte(HEX[(c >> 8) & 0xf]);
          out.putByte(HEX[(c >> 4) & 0xf]);
          out.putByte(HEX[c & 0xf]);
        }
      }
    }
    out.put('"');
  }

  /** Printable ASCII other than the quote and the backslash: written as it is. */
  private static boolean plain(char c) {
    return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** A growable ASCII byte buffer (no per-byte synchronisation, unlike ByteArrayOutputStream). */
  private static final class Out {
    private byte[] buf;
    private int size;

    Out(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    void ensure(int more) {
      if (size + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
      }
    }

    void put(char c) {
      putByte((byte) c);
    }

    void putByte(byte b) {
      if (size == buf.length) {
        ensure(1);
      }
      buf[size++] = b;
    }

    /** Characters {@code from} to {@code to} of {@code s}, all below 0x80, as bytes. */
    void latin1(String s, int from, int to) {
      ensure(to - from);
      for (int i = from; i < to; i++) {
        buf[size++] = (byte) s.charAt(i);
      }
    }

    void ascii(String s) {
      ensure(s.length());
      for (int i = 0; i < s.length(); i++) {
        buf[size++] = (byte) s.charAt(i);
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }
  }
}
