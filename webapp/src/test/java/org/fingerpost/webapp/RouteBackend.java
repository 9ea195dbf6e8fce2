package org.fingerpost.webapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real backend for the routes (Jetty on a loopback port chosen by the OS): {@code /echo/*} answers
 * the request line and headers it saw (and hop-by-hop and cookie headers of its own), {@code /slow}
 * sends a first line then waits for {@link #release}, {@code /drip} sends one byte every {@code ms}
 * milliseconds {@code n} times (a slow producer), {@code /silent} never answers, {@code /upload}
 * counts the body ({@link #firstBytes} when the first arrive); websockets {@code /ws/echo} (echo,
 * {@code close:<code>:<reason>}, {@code ping:<x>}, pongs reported, {@code headers}) and {@code
 * /ws/stall} (its first message blocks until {@link #release}).
 */
final class RouteBackend implements AutoCloseable {
  final Server server = new Server();
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch firstBytes = new CountDownLatch(1);
  final AtomicLong uploaded = new AtomicLong();
  final java.util.concurrent.BlockingQueue<CloseReason> closeSeen = new java.util.concurrent.LinkedBlockingQueue<>();
  final AtomicReference<String> handshakeHeaders = new AtomicReference<>("");
  private final ServerConnector connector;

  RouteBackend() throws Exception {
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Echo()), "/echo/*");
    context.addServlet(new ServletHolder(new Slow()), "/slow");
    context.addServlet(new ServletHolder(new Drip()), "/drip");
    context.addServlet(new ServletHolder(new Silent()), "/silent");
    context.addServlet(new ServletHolder(new Upload()), "/upload");
    JakartaWebSocketServletContainerInitializer.configure(context, (ctx, container) -> {
      container.setDefaultMaxTextMessageBufferSize(16 * 1024 * 1024);
      container.setDefaultMaxBinaryMessageBufferSize(16 * 1024 * 1024);
      container.addEndpoint(ServerEndpointConfig.Builder.create(EchoSocket.class, "/ws/echo")
          .subprotocols(List.of("chat")).configurator(configurator(new EchoSocket(this))).build());
      container.addEndpoint(ServerEndpointConfig.Builder.create(StallSocket.class, "/ws/stall")
          .subprotocols(List.of("chat")).configurator(configurator(new StallSocket(this))).build());
    });
    server.setHandler(context);
    server.start();
  }

  private ServerEndpointConfig.Configurator configurator(Endpoint endpoint) {
    return new ServerEndpointConfig.Configurator() {
      @Override
      public <T> T getEndpointInstance(Class<T> c) {
        return c.cast(endpoint);
      }

      @Override
      public void modifyHandshake(ServerEndpointConfig sec, jakarta.websocket.server.HandshakeRequest request,
          jakarta.websocket.HandshakeResponse response) {
        StringBuilder b = new StringBuilder();
        request.getHeaders().forEach((k, v) -> b.append(k.toLowerCase()).append(": ").append(String.join(",", v)).append('\n'));
        handshakeHeaders.set(b.toString());
        response.getHeaders().put("Set-Cookie", List.of("ws=1"));
      }
    };
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  @Override
  public void close() throws Exception {
    release.countDown();
    server.stop();
  }

  private static final class Echo extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      StringBuilder b = new StringBuilder(req.getMethod() + " " + req.getRequestURI()
          + (req.getQueryString() == null ? "" : "?" + req.getQueryString()) + "\n");
      for (String name : Collections.list(req.getHeaderNames())) {
        b.append(name.toLowerCase()).append(": ").append(String.join(",", Collections.list(req.getHeaders(name)))).append('\n');
      }
      b.append("body=").append(new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      resp.setHeader("Connection", "X-Resp");
      resp.setHeader("X-Resp", "hop");
      resp.setHeader("X-Kept", "yes");
      resp.addHeader("Set-Cookie", "session=abc; Path=/");
      resp.setContentType("text/plain");
      resp.getOutputStream().write(b.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private final class Slow extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      OutputStream out = resp.getOutputStream();
      out.write("first\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.write("second\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static final class Drip extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      int n = Integer.parseInt(req.getParameter("n"));
      long ms = Long.parseLong(req.getParameter("ms"));
      OutputStream out = resp.getOutputStream();
      for (int i = 0; i < n; i++) {
        out.write('.');
        out.flush();
        // A slow producer (workload, not synchronisation): one byte per period.
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
      }
    }
  }

  private final class Silent extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final class Upload extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      InputStream in = req.getInputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
        uploaded.set(total);
        firstBytes.countDown();
      }
      resp.getOutputStream().write(("received=" + total).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Echoes; {@code close:<code>:<reason>} closes; {@code ping:<x>} pings; pongs are reported as {@code pong:<x>}. */
  public static final class EchoSocket extends Endpoint {
    private final RouteBackend backend;

    EchoSocket(RouteBackend backend) {
      this.backend = backend;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
        try {
          if (text.startsWith("close:")) {
            String[] p = text.split(":", 3);
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(Integer.parseInt(p[1])), p[2]));
          } else if (text.startsWith("ping:")) {
            session.getBasicRemote().sendPing(ByteBuffer.wrap(text.substring(5).getBytes(StandardCharsets.UTF_8)));
          } else if (text.equals("headers")) {
            session.getBasicRemote().sendText(backend.handshakeHeaders.get());
          } else {
            session.getBasicRemote().sendText(text);
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data -> {
        try {
          session.getBasicRemote().sendBinary(data);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> {
        try {
          session.getBasicRemote().sendText("pong:" + StandardCharsets.UTF_8.decode(pong.getApplicationData()));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
      backend.closeSeen.add(reason);
    }
  }

  /** Its first message blocks until {@link #release}: a backend that stops reading. */
  public static final class StallSocket extends Endpoint {
    private final RouteBackend backend;
    final AtomicLong received = new AtomicLong();

    StallSocket(RouteBackend backend) {
      this.backend = backend;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data -> {
        backend.uploaded.addAndGet(data.remaining());
        try {
          backend.release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }
}
