package dev.sagemaker.autoscaling.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
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

  /** What {@link PrometheusMeterRegistry#scrape()} writes: Prometheus text format 0.0.4. */
  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

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
                    respond(exchange, 200, scrape(registry, exchange.getRequestURI()));
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

  /**
   * The whole page, or with {@code name[]=<metric>} parameters (as the Prometheus client's own
   * exporter takes them, names as in the {@code # TYPE} lines) only those metrics: a client that
   * follows a counter need not pay for every per-resource series (see {@link NamedCollectors}).
   */
  static String scrape(PrometheusMeterRegistry registry, URI request) {
    Set<String> names = new HashSet<>();
    String query = request.getRawQuery();
    if (query != null) {
      for (String parameter : query.split("&")) {
        int equals = parameter.indexOf('=');
        if (equals > 0
            && "name[]".equals(URLDecoder.decode(parameter.substring(0, equals), UTF_8))) {
          names.add(URLDecoder.decode(parameter.substring(equals + 1), UTF_8));
        }
      }
    }
    return names.isEmpty() ? registry.scrape() : registry.scrape(TEXT_FORMAT, names);
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
