package dev.sagemaker.autoscaling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP proxy on loopback in front of moto that counts every request the operator sends, by service
 * and operation, independently of the operator's own metrics. It also remembers when each scaling
 * policy was last written, which is how the spec-change latency is observed.
 *
 * <p>The service comes from the SigV4 credential scope; the operation from X-Amz-Target (JSON
 * protocols: Application Auto Scaling, SageMaker) or the Action form field (CloudWatch's query
 * protocol). Each HTTP request counts, so SDK retries count here and once in the operator's metrics.
 */
final class CountingProxy implements AutoCloseable {
  /** SigV4 signing names to the SDK service names the operator's metrics use. */
  private static final Map<String, String> SDK_SERVICE_NAMES = Map.of(
      "application-autoscaling", "ApplicationAutoScaling",
      "monitoring", "CloudWatch",
      "sagemaker", "SageMaker",
      "sts", "Sts");
  /** Headers the JDK client sets itself or refuses, and hop-by-hop headers a proxy must not forward. */
  private static final Set<String> NOT_FORWARDED = Set.of(
      "connection", "content-length", "expect", "host", "upgrade", "keep-alive", "transfer-encoding", "te", "trailer", "date");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A completed PutScalingPolicy: when (System.nanoTime) and with which target value, if target tracking. */
  record PolicyWrite(long completedNanos, Double targetValue) {}

  private final URI upstreamUri;
  private final HttpServer server;
  private final ExecutorService workers;
  private final HttpClient upstream;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final LongAdder errorResponses = new LongAdder();
  private final Map<String, PolicyWrite> lastPolicyWrite = new ConcurrentHashMap<>();
  private final AtomicLong lastCallNanos = new AtomicLong(System.nanoTime());
  /** When the first request after {@link #mark()} arrived; 0 while none has. */
  private final AtomicLong firstCallAfterMark = new AtomicLong();

  private CountingProxy(URI upstreamUri) throws IOException {
    this.upstreamUri = upstreamUri;
    this.workers = Executors.newFixedThreadPool(32, r -> {
      Thread t = new Thread(r, "counting-proxy");
      t.setDaemon(true);
      return t;
    });
    this.upstream = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(workers)
        .build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setExecutor(workers);
    server.createContext("/", this::forward);
  }

  static CountingProxy start(URI moto) throws IOException {
    CountingProxy proxy = new CountingProxy(moto);
    proxy.server.start();
    return proxy;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  AwsCallCounts snapshot() {
    Map<String, Long> copy = new java.util.HashMap<>();
    counts.forEach((k, v) -> copy.put(k, v.sum()));
    return new AwsCallCounts(copy);
  }

  long errorResponses() {
    return errorResponses.sum();
  }

  Optional<PolicyWrite> lastPolicyWrite(String policyName) {
    return Optional.ofNullable(lastPolicyWrite.get(policyName));
  }

  /** Starts watching for the next request, to time how long a new operator takes to make its first call. */
  void mark() {
    firstCallAfterMark.set(0);
  }

  /** System.nanoTime of the first request since {@link #mark()}, or 0. */
  long firstCallNanosSinceMark() {
    return firstCallAfterMark.get();
  }

  /**
   * Waits until no request has arrived for {@code quiet}, or {@code max} has passed; returns whether it
   * went quiet. Measurement windows start at a quiet moment so that no pass straddles their start.
   */
  boolean awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (System.nanoTime() - lastCallNanos.get() >= quiet.toNanos()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      long arrived = System.nanoTime();
      lastCallNanos.set(arrived);
      firstCallAfterMark.compareAndSet(0, arrived);
      String service = service(exchange.getRequestHeaders().getFirst("Authorization"));
      String operation = operation(exchange, body);
      counts.computeIfAbsent(AwsCallCounts.key(service, operation), k -> new LongAdder()).increment();

      HttpResponse<byte[]> response = send(exchange, body);
      if (response == null) {
        errorResponses.increment();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      if (response.statusCode() >= 300) {
        errorResponses.increment();
      } else if ("PutScalingPolicy".equals(operation)) {
        recordPolicyWrite(body);
      }
      lastCallNanos.set(System.nanoTime());
      response.headers().map().forEach((name, values) -> {
        if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
          exchange.getResponseHeaders().put(name, values);
        }
      });
      byte[] answer = response.body();
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(upstreamUri.resolve(exchange.getRequestURI().toString()))
        .timeout(Duration.ofSeconds(60))
        .method(exchange.getRequestMethod(), body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase())) {
        values.forEach(v -> request.header(name, v));
      }
    });
    try {
      return upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void recordPolicyWrite(byte[] body) {
    try {
      JsonNode request = JSON.readTree(body);
      JsonNode targetValue = request.path("TargetTrackingScalingPolicyConfiguration").path("TargetValue");
      lastPolicyWrite.put(request.path("PolicyName").asText(),
          new PolicyWrite(System.nanoTime(), targetValue.isNumber() ? targetValue.asDouble() : null));
    } catch (IOException e) {
      // Not JSON: the operator cannot have sent it, and moto answered it anyway; nothing to remember.
    }
  }

  /** "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sagemaker/aws4_request, ..." -> "SageMaker". */
  static String service(String authorization) {
    if (authorization == null || !authorization.contains("Credential=")) {
      return "unsigned";
    }
    String scope = authorization.substring(authorization.indexOf("Credential=") + "Credential=".length()).split(",", 2)[0];
    String[] parts = scope.split("/");
    String signingName = parts.length >= 4 ? parts[3] : "unknown";
    return SDK_SERVICE_NAMES.getOrDefault(signingName, signingName);
  }

  static String operation(HttpExchange exchange, byte[] body) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null) {
      return target.substring(target.lastIndexOf('.') + 1);
    }
    String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
    if (contentType.startsWith("application/x-www-form-urlencoded")) {
      for (String field : new String(body, StandardCharsets.UTF_8).split("&")) {
        if (field.startsWith("Action=")) {
          return URLDecoder.decode(field.substring("Action=".length()), StandardCharsets.UTF_8);
        }
      }
    }
    // Smithy RPC v2 puts the operation in the path: /service/<name>/operation/<operation>.
    List<String> path = List.of(exchange.getRequestURI().getPath().split("/"));
    int at = path.indexOf("operation");
    return at >= 0 && at + 1 < path.size() ? path.get(at + 1) : "unknown";
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
