package dev.sagemaker.autoscaling.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A proxy on 127.0.0.1 between the operator and moto that counts every AWS call by operation and can
 * inject faults: throttling, 500s, ConcurrentUpdateException and slow answers, for a chosen share
 * of calls. Faults are answered in each protocol's own error format, so the SDK sees what AWS sends.
 */
public final class AwsProxy implements AutoCloseable {
  /** What to do with a share of the calls; shares add up to at most 1. */
  public record Faults(double throttle, double serverError, double concurrentUpdate, double slow, Duration slowBy, long seed) {
    public static final Faults NONE = new Faults(0, 0, 0, 0, Duration.ZERO, 0);
  }

  private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "transfer-encoding", "expect", "upgrade", "keep-alive");

  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI target;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> injected = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();
  private volatile Faults faults = Faults.NONE;
  private volatile Random random = new Random(0);
  private volatile Consumer<String> onWrite = op -> { };
  private volatile Map<String, Double> quotas = Map.of();
  private final Map<String, java.util.Deque<Long>> recentCalls = new ConcurrentHashMap<>();

  public AwsProxy(URI target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void injectFaults(Faults faults) {
    this.random = new Random(faults.seed());
    this.faults = faults;
  }

  /**
   * Throttles, as AWS does, any call that would exceed its operation's per-second quota (a sliding
   * one-second window). Throttled calls are counted in {@link #injectedFaults()} as "Op:QuotaExceeded".
   */
  public void enforceQuotas(Map<String, Double> perSecond) {
    this.quotas = Map.copyOf(perSecond);
  }

  /** Called with the operation name after each write reaches moto (before the answer goes back). */
  public void onWrite(Consumer<String> listener) {
    this.onWrite = listener;
  }

  public Map<String, Long> calls() {
    Map<String, Long> out = new TreeMap<>();
    calls.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public Map<String, Long> injectedFaults() {
    Map<String, Long> out = new TreeMap<>();
    injected.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public long writes() {
    return writes.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      boolean json = amzTarget != null;
      String operation = json ? amzTarget.substring(amzTarget.indexOf('.') + 1) : formAction(body);
      calls.computeIfAbsent(operation, k -> new LongAdder()).increment();
      if (!exchange.getRequestURI().getPath().startsWith("/moto-api")
          && (overQuota(exchange, operation, json) || injectFault(exchange, operation, json))) {
        return;
      }
      HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
          .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_HEADERS.contains(name.toLowerCase())) {
          values.forEach(v -> forward.header(name, v));
        }
      });
      HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (!isRead(operation) && response.statusCode() < 300) {
        writes.incrementAndGet();
        onWrite.accept(operation);
      }
      response.headers().map().forEach((name, values) -> {
        if (!HOP_HEADERS.contains(name.toLowerCase())) {
          exchange.getResponseHeaders().put(name, List.copyOf(values));
        }
      });
      send(exchange, response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | IOException e) {
      // The exchange is closed; the SDK sees a broken connection and retries, as with a real network fault.
    }
  }

  private boolean overQuota(HttpExchange exchange, String operation, boolean json) throws IOException {
    Double quota = quotas.get(operation);
    if (quota == null) {
      return false;
    }
    long now = System.nanoTime();
    java.util.Deque<Long> window = recentCalls.computeIfAbsent(operation, k -> new java.util.ArrayDeque<>());
    synchronized (window) {
      while (!window.isEmpty() && now - window.peekFirst() >= 1_000_000_000L) {
        window.pollFirst();
      }
      if (window.size() + 1 > quota) {
        count(operation + ":QuotaExceeded");
        error(exchange, json, 400, json ? "ThrottlingException" : "Throttling", "Rate exceeded");
        return true;
      }
      window.addLast(now);
      return false;
    }
  }

  private boolean injectFault(HttpExchange exchange, String operation, boolean json) throws IOException, InterruptedException {
    Faults f = faults;
    double roll;
    synchronized (this) {
      roll = random.nextDouble();
    }
    if (roll < f.throttle()) {
      count(operation + ":Throttling");
      error(exchange, json, 400, json ? "ThrottlingException" : "Throttling", "Rate exceeded");
      return true;
    }
    roll -= f.throttle();
    if (roll < f.serverError()) {
      count(operation + ":InternalError");
      error(exchange, json, 500, json ? "InternalServiceException" : "InternalFailure", "injected server error");
      return true;
    }
    roll -= f.serverError();
    if (roll < f.concurrentUpdate() && json && !isRead(operation)) {
      count(operation + ":ConcurrentUpdate");
      error(exchange, true, 400, "ConcurrentUpdateException", "There is already a pending update");
      return true;
    }
    roll -= f.concurrentUpdate();
    if (roll < f.slow()) {
      count(operation + ":Slow");
      Thread.sleep(f.slowBy().toMillis());
    }
    return false;
  }

  private void count(String key) {
    injected.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  private static void error(HttpExchange exchange, boolean json, int status, String code, String message) throws IOException {
    String body;
    if (json) {
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      body = "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}";
    } else {
      exchange.getResponseHeaders().set("Content-Type", "text/xml");
      body = "<ErrorResponse><Error><Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code
          + "</Code><Message>" + message + "</Message></Error><RequestId>injected</RequestId></ErrorResponse>";
    }
    exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
    send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** CloudWatch speaks the query protocol: the operation is the form's Action field. */
  private static String formAction(byte[] body) {
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      if (pair.startsWith("Action=")) {
        return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
      }
    }
    return "unknown";
  }

  public static boolean isRead(String operation) {
    return operation.startsWith("Describe") || operation.startsWith("List") || operation.startsWith("Get") || operation.equals("unknown");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
