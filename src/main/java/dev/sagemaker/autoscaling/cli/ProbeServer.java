package dev.sagemaker.autoscaling.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /healthz, /readyz and /metrics on one port. The probes run on the server's own thread and answer
 * from memory; a scrape (which walks every meter) runs on a separate single thread with a short
 * queue, so a slow or piled-up scrape can never delay a probe past the kubelet's timeout and
 * restart a healthy pod.
 */
final class ProbeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeServer.class);

  private final HttpServer server;
  private final ExecutorService scraper;

  private ProbeServer(HttpServer server, ExecutorService scraper) {
    this.server = server;
    this.scraper = scraper;
  }

  static ProbeServer serve(int port, Operator operator, PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    ExecutorService scraper =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(2),
            runnable -> {
              Thread thread = new Thread(runnable, "metrics-scrape");
              thread.setDaemon(true);
              return thread;
            });
    server.createContext(
        "/metrics",
        exchange -> {
          try {
            scraper.execute(
                () -> {
                  try {
                    respond(exchange, 200, registry.scrape());
                  } catch (IOException | RuntimeException e) {
                    LOG.debug("scrape failed: {}", e.toString());
                    exchange.close();
                  }
                });
          } catch (RejectedExecutionException e) {
            respond(exchange, 503, "scrape in progress");
          }
        });
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
    server.createContext(
        "/readyz",
        exchange -> {
          boolean ready =
              operator.getRuntimeInfo().isStarted()
                  && operator.getRuntimeInfo().allEventSourcesAreHealthy();
          respond(exchange, ready ? 200 : 503, ready ? "ready" : "not ready");
        });
    // No executor set: the JDK server runs handlers on its one dispatcher thread, which only probes
    // use.
    server.start();
    return new ProbeServer(server, scraper);
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    scraper.shutdownNow();
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
