package org.fingerpost.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP/1.1 read byte by byte off a raw socket, for tests that write requests by hand. */
public final class RawHttp {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

  private RawHttp() {}

  /**
   * One response that has a {@code Content-Length}: its head and body as ISO-8859-1 text, leaving
   * whatever follows (the next pipelined response) unread.
   *
   * @throws IOException when the stream ends first or the head has no {@code Content-Length}
   */
  public static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("after " + head);
      }
      head.append((char) b);
    }
    Matcher length = CONTENT_LENGTH.matcher(head);
    if (!length.find()) {
      throw new IOException("no Content-Length in " + head);
    }
    return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.ISO_8859_1);
  }
}
