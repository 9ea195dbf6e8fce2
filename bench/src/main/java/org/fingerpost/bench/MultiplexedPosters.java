package org.fingerpost.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A load generator's senders on one thread, as {@code wrk} runs them: {@code n} keep-alive HTTP/1.1
 * connections, each with one request in flight, driven by one selector. A sender on another host
 * (GitHub's) costs the server under test nothing; one thread per sender on the benchmark's two cores
 * cost about 50 µs of CPU per request in thread wake-ups and context switches, which this spends on
 * one {@code write} and one {@code read} per request and one {@code epoll_wait} per batch of answers.
 * Each answer must carry a {@code Content-Length}; its status is counted, its body skipped.
 */
final class MultiplexedPosters {
  /** Bytes kept for an answer (head and body): the endpoint's answers are a few hundred bytes. */
  static final int ANSWER_BUFFER_BYTES = 8192;
  /** Bytes kept for a request's head besides its body. */
  static final int MAX_HEAD_BYTES = 4096;

  /** What a run saw: latencies (ns) of the 200s finished in the measured part, per connection, and its 503s. */
  record Result(List<Samples> latencies, long refused) {}

  private MultiplexedPosters() {}

  /**
   * Posts over {@code connections} connections to {@code port} until {@code end} (nanoTime): request
   * {@code i} of connection {@code c} is {@code head.apply(c, i)} (ending in an empty line) then {@code
   * body}. A request sent at or after {@code end} is not sent; one sent before is waited for. Answers
   * other than 200 and 503 fail the run.
   */
  static Result run(int port, int connections, BiFunction<Integer, Integer, String> head, byte[] body,
      long warmEnd, long end, int maxSamples) throws IOException {
    List<Samples> latencies = new ArrayList<>(connections);
    long refused = 0;
    Connection[] all = new Connection[connections];
    try (Selector selector = Selector.open()) {
      for (int c = 0; c < connections; c++) {
        latencies.add(new Samples(maxSamples));
        all[c] = new Connection(c, SocketChannel.open(new InetSocketAddress("127.0.0.1", port)), body.length);
        all[c].channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        all[c].channel.configureBlocking(false);
        all[c].key = all[c].channel.register(selector, 0, all[c]);
      }
      int open = connections;
      for (Connection c : all) {
        if (!c.send(head.apply(c.id, c.sent++), body, System.nanoTime(), end)) {
          open--;
        }
      }
      while (open > 0) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          Connection c = (Connection) key.attachment();
          if (key.isWritable()) {
            c.flush();
            continue;
          }
          int status = c.readAnswer();
          if (status < 0) {
            continue; // not all of it yet
          }
          long now = System.nanoTime();
          boolean measured = c.sentAt >= warmEnd && now <= end;
          if (status == 503) {
            refused += measured ? 1 : 0;
          } else if (status != 200) {
            throw new IOException("connection " + c.id + " answered " + status);
          } else if (measured) {
            latencies.get(c.id).add(now - c.sentAt);
          }
          if (!c.send(head.apply(c.id, c.sent++), body, now, end)) {
            open--;
          }
        }
        selector.selectedKeys().clear();
      }
    } finally {
      for (Connection c : all) {
        if (c != null) {
          c.channel.close();
        }
      }
    }
    return new Result(latencies, refused);
  }

  /** One keep-alive connection and its one request in flight. */
  private static final class Connection {
    final int id;
    final SocketChannel channel;
    final ByteBuffer request;
    final ByteBuffer answer = ByteBuffer.allocateDirect(ANSWER_BUFFER_BYTES);
    SelectionKey key;
    int sent;
    long sentAt;

    Connection(int id, SocketChannel channel, int bodyBytes) {
      this.id = id;
      this.channel = channel;
      this.request = ByteBuffer.allocateDirect(bodyBytes + MAX_HEAD_BYTES);
    }

    /** Writes the next request, or returns false when {@code now} is past {@code end}. */
    boolean send(String head, byte[] body, long now, long end) throws IOException {
      if (now >= end) {
        return false;
      }
      request.clear();
      request.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
      sentAt = now;
      answer.clear();
      flush();
      return true;
    }

    /** Writes what the socket takes; waits to write the rest, or for the answer once all is out. */
    void flush() throws IOException {
      channel.write(request);
      key.interestOps(request.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Reads; the answer's status once all of it is here, else -1. */
    int readAnswer() throws IOException {
      if (channel.read(answer) < 0) {
        throw new EOFException("connection " + id + " closed before its answer");
      }
      int headEnd = headEnd();
      if (headEnd < 0) {
        if (!answer.hasRemaining()) {
          throw new IOException("answer longer than " + ANSWER_BUFFER_BYTES + " bytes");
        }
        return -1;
      }
      byte[] headBytes = new byte[headEnd];
      answer.get(0, headBytes);
      String text = new String(headBytes, StandardCharsets.ISO_8859_1);
      if (answer.position() < headEnd + 4 + RawHttpPoster.contentLength(text)) {
        return -1;
      }
      return Integer.parseInt(text.substring(9, 12));
    }

    private int headEnd() {
      for (int i = 3; i < answer.position(); i++) {
        if (answer.get(i) == '\n' && answer.get(i - 1) == '\r' && answer.get(i - 2) == '\n'
            && answer.get(i - 3) == '\r') {
          return i - 3;
        }
      }
      return -1;
    }
  }
}
