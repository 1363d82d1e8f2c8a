package dev.sagemaker.autoscaling.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The one HTTP proxy on loopback between the operator and moto, for the ITs and the benchmark. It
 * counts every AWS call by service and operation ({@link AwsOperation} reads them off the wire),
 * independently of the operator's own metrics, and can enforce AWS's per-operation quotas and
 * inject faults (throttling, 500s, ConcurrentUpdateException, slow answers) in each protocol's own
 * error format, so the SDK sees what AWS sends. Each HTTP request counts, so SDK retries count
 * here.
 *
 * <p>A request it cannot name is forwarded but recorded in {@link #unparsed()}: the test fixture
 * fails the test with it, since counting it as anything would make the counts lie.
 */
public final class AwsProxy implements AutoCloseable {
  /** What to do with a share of the calls; shares add up to at most 1. */
  public record Faults(
      double throttle,
      double serverError,
      double concurrentUpdate,
      double slow,
      Duration slowBy,
      long seed) {
    public static final Faults NONE = new Faults(0, 0, 0, 0, Duration.ZERO, 0);
  }

  /**
   * A completed PutScalingPolicy: when (System.nanoTime) and with which target value, if target
   * tracking.
   */
  public record PolicyWrite(long completedNanos, Double targetValue) {}

  /**
   * Headers the JDK client sets itself or refuses, and hop-by-hop headers a proxy must not forward.
   */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "keep-alive",
          "transfer-encoding",
          "te",
          "trailer",
          "date");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SECOND = 1_000_000_000L;

  private final URI target;
  private final HttpServer server;
  private final ExecutorService workers;
  private final HttpClient client;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> injected = new ConcurrentHashMap<>();
  private final List<String> unparsed = new CopyOnWriteArrayList<>();
  private final LongAdder errorResponses = new LongAdder();
  private final AtomicLong writes = new AtomicLong();
  private final Map<String, PolicyWrite> lastPolicyWrite = new ConcurrentHashMap<>();
  private final Map<String, Deque<Long>> recentCalls = new ConcurrentHashMap<>();
  private final AtomicLong lastCallNanos = new AtomicLong(System.nanoTime());

  /** When the first request after {@link #mark()} arrived; 0 while none has. */
  private final AtomicLong firstCallAfterMark = new AtomicLong();

  private volatile Faults faults = Faults.NONE;
  private volatile Random random = new Random(0);
  private volatile Consumer<String> onWrite = op -> {};
  private volatile Map<String, Double> quotas = Map.of();
  private volatile String deniedRegion;
  private final List<Denied> denied = new CopyOnWriteArrayList<>();

  /** A call answered AccessDenied by {@link #denyRegion}: when (System.nanoTime) and its body. */
  public record Denied(long nanos, String operation, String request) {}

  public AwsProxy(URI target) throws IOException {
    this.target = target;
    this.workers =
        Executors.newFixedThreadPool(
            32,
            r -> {
              Thread t = new Thread(r, "aws-proxy");
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(workers)
            .build();
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setExecutor(workers);
    server.createContext("/", this::handle);
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
   * one-second window). Throttled calls are counted in {@link #injectedFaults()} as
   * "Op:QuotaExceeded".
   */
  public void enforceQuotas(Map<String, Double> perSecond) {
    this.quotas = Map.copyOf(perSecond);
  }

  /**
   * Answers every call signed for {@code region} with AccessDenied, as AWS does when a policy (an
   * SCP, a revoked role) denies it; null lifts the denial.
   */
  public void denyRegion(String region) {
    this.deniedRegion = region;
  }

  /** The calls {@link #denyRegion} refused, in order. */
  public List<Denied> denied() {
    return List.copyOf(denied);
  }

  /** Called with the operation name after each write reaches moto (before the answer goes back). */
  public void onWrite(Consumer<String> listener) {
    this.onWrite = listener;
  }

  /** Calls by operation name, all services together. */
  public Map<String, Long> calls() {
    Map<String, Long> out = new TreeMap<>();
    calls.forEach(
        (key, count) -> out.merge(key.substring(key.indexOf(' ') + 1), count.sum(), Long::sum));
    return out;
  }

  /** Calls by "Service Operation" ({@link AwsOperation#key()}). */
  public Map<String, Long> callsByService() {
    Map<String, Long> out = new TreeMap<>();
    calls.forEach((key, count) -> out.put(key, count.sum()));
    return out;
  }

  public Map<String, Long> injectedFaults() {
    Map<String, Long> out = new TreeMap<>();
    injected.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Writes that moto answered with success. */
  public long writes() {
    return writes.get();
  }

  /** Answers of 300 or more, injected ones included, and requests moto never answered. */
  public long errorResponses() {
    return errorResponses.sum();
  }

  /** Requests this proxy could not name an AWS operation for, as "METHOD path (headers)". */
  public List<String> unparsed() {
    return List.copyOf(unparsed);
  }

  /** As {@link #unparsed()}, and forgets them, so each is reported once. */
  public List<String> takeUnparsed() {
    List<String> taken = new ArrayList<>();
    while (!unparsed.isEmpty()) {
      taken.add(unparsed.remove(0));
    }
    return taken;
  }

  public Optional<PolicyWrite> lastPolicyWrite(String policyName) {
    return Optional.ofNullable(lastPolicyWrite.get(policyName));
  }

  /**
   * Starts watching for the next request, to time how long a new operator takes to make its first
   * call.
   */
  public void mark() {
    firstCallAfterMark.set(0);
  }

  /** System.nanoTime of the first request since {@link #mark()}, or 0. */
  public long firstCallNanosSinceMark() {
    return firstCallAfterMark.get();
  }

  /**
   * Waits until no request has arrived for {@code quiet}, or {@code max} has passed; returns
   * whether it went quiet. Measurement windows start at a quiet moment so that no pass straddles
   * their start.
   */
  public boolean awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (System.nanoTime() - lastCallNanos.get() >= quiet.toNanos()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/moto-api") || path.startsWith("/_smsp")) {
        // moto's own control API, for test set-up: not an AWS call.
        relay(exchange, forward(exchange, body));
        return;
      }
      long arrived = System.nanoTime();
      lastCallNanos.set(arrived);
      firstCallAfterMark.compareAndSet(0, arrived);
      Headers headers = exchange.getRequestHeaders();
      Optional<AwsOperation> parsed =
          AwsOperation.parse(
              headers.getFirst("Authorization"),
              headers.getFirst("X-Amz-Target"),
              headers.getFirst("Content-Type"),
              path,
              body);
      if (parsed.isEmpty()) {
        unparsed.add(
            exchange.getRequestMethod()
                + " "
                + exchange.getRequestURI()
                + " (X-Amz-Target "
                + headers.getFirst("X-Amz-Target")
                + ", Content-Type "
                + headers.getFirst("Content-Type")
                + ")");
        relay(exchange, forward(exchange, body));
        return;
      }
      AwsOperation operation = parsed.get();
      calls.computeIfAbsent(operation.key(), k -> new LongAdder()).increment();
      if (deny(exchange, operation, headers.getFirst("Authorization"), body)
          || overQuota(exchange, operation)
          || injectFault(exchange, operation)) {
        errorResponses.increment();
        return;
      }
      HttpResponse<byte[]> response = forward(exchange, body);
      if (response != null && response.statusCode() < 300 && !operation.isRead()) {
        writes.incrementAndGet();
        if ("PutScalingPolicy".equals(operation.operation())) {
          recordPolicyWrite(body);
        }
        onWrite.accept(operation.operation());
      }
      lastCallNanos.set(System.nanoTime());
      relay(exchange, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body)
      throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
            .timeout(Duration.ofSeconds(60))
            .method(
                exchange.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
              }
            });
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return null;
    }
  }

  /** Sends moto's answer back; a request moto never answered gets a 502, which the SDK retries. */
  private void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
    if (response == null) {
      errorResponses.increment();
      exchange.sendResponseHeaders(502, -1);
      return;
    }
    if (response.statusCode() >= 300) {
      errorResponses.increment();
    }
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
              }
            });
    send(exchange, response.statusCode(), response.body());
  }

  private boolean deny(
      HttpExchange exchange, AwsOperation operation, String authorization, byte[] body)
      throws IOException {
    String region = deniedRegion;
    // The credential scope: "Credential=AKID/20250101/<region>/<service>/aws4_request".
    if (region == null || authorization == null || !authorization.contains("/" + region + "/")) {
      return false;
    }
    denied.add(
        new Denied(
            System.nanoTime(), operation.operation(), new String(body, StandardCharsets.UTF_8)));
    count(operation.operation() + ":AccessDenied");
    boolean query = operation.protocol() != AwsOperation.Protocol.JSON;
    error(
        exchange,
        operation.protocol(),
        query ? 403 : 400,
        query ? "AccessDenied" : "AccessDeniedException",
        "User is not authorized to perform: "
            + operation.operation()
            + " (denied in "
            + region
            + " by the test)");
    return true;
  }

  private boolean overQuota(HttpExchange exchange, AwsOperation operation) throws IOException {
    Double quota = quotas.get(operation.operation());
    if (quota == null) {
      return false;
    }
    long now = System.nanoTime();
    Deque<Long> window =
        recentCalls.computeIfAbsent(operation.operation(), k -> new ArrayDeque<>());
    synchronized (window) {
      while (!window.isEmpty() && now - window.peekFirst() >= SECOND) {
        window.pollFirst();
      }
      if (window.size() + 1 > quota) {
        count(operation.operation() + ":QuotaExceeded");
        error(exchange, operation.protocol(), 400, "Throttling", "Rate exceeded");
        return true;
      }
      window.addLast(now);
      return false;
    }
  }

  private boolean injectFault(HttpExchange exchange, AwsOperation operation)
      throws IOException, InterruptedException {
    Faults f = faults;
    String op = operation.operation();
    double roll;
    synchronized (this) {
      roll = random.nextDouble();
    }
    if (roll < f.throttle()) {
      count(op + ":Throttling");
      error(exchange, operation.protocol(), 400, "Throttling", "Rate exceeded");
      return true;
    }
    roll -= f.throttle();
    if (roll < f.serverError()) {
      count(op + ":InternalError");
      error(exchange, operation.protocol(), 500, "InternalFailure", "injected server error");
      return true;
    }
    roll -= f.serverError();
    // Only Application Auto Scaling answers ConcurrentUpdateException, and only to writes.
    if (roll < f.concurrentUpdate()
        && operation.service().equals("ApplicationAutoScaling")
        && !operation.isRead()) {
      count(op + ":ConcurrentUpdate");
      error(
          exchange,
          operation.protocol(),
          400,
          "ConcurrentUpdateException",
          "There is already a pending update");
      return true;
    }
    roll -= f.concurrentUpdate();
    if (roll < f.slow()) {
      count(op + ":Slow");
      Thread.sleep(f.slowBy().toMillis());
    }
    return false;
  }

  private void count(String key) {
    injected.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  /**
   * An AWS error in the request's protocol. JSON services name throttling ThrottlingException and
   * server faults InternalServiceException; the query protocol says Throttling and InternalFailure.
   */
  private static void error(
      HttpExchange exchange,
      AwsOperation.Protocol protocol,
      int status,
      String queryCode,
      String message)
      throws IOException {
    String body;
    String code = queryCode;
    switch (protocol) {
      case JSON -> {
        code =
            switch (queryCode) {
              case "Throttling" -> "ThrottlingException";
              case "InternalFailure" -> "InternalServiceException";
              default -> queryCode;
            };
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        body = "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}";
      }
      case QUERY -> {
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        body =
            "<ErrorResponse><Error><Type>"
                + (status >= 500 ? "Receiver" : "Sender")
                + "</Type><Code>"
                + code
                + "</Code><Message>"
                + message
                + "</Message></Error><RequestId>injected</RequestId></ErrorResponse>";
      }
      default -> {
        // Smithy RPC v2 CBOR: the SDK reads the error type from this header when the body has none.
        exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
        exchange
            .getResponseHeaders()
            .set("x-amzn-query-error", code + ";" + (status >= 500 ? "Receiver" : "Sender"));
        body = "";
      }
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

  private void recordPolicyWrite(byte[] body) {
    try {
      JsonNode request = JSON.readTree(body);
      JsonNode targetValue =
          request.path("TargetTrackingScalingPolicyConfiguration").path("TargetValue");
      lastPolicyWrite.put(
          request.path("PolicyName").asText(),
          new PolicyWrite(
              System.nanoTime(), targetValue.isNumber() ? targetValue.asDouble() : null));
    } catch (IOException e) {
      // Application Auto Scaling speaks JSON; moto accepted the write, so there is nothing to
      // remember.
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
