package dev.sagemaker.autoscaling.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.sagemaker.autoscaling.plan.TargetKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A write that Application Auto Scaling refuses because the target has a pending update is tried
 * again inside the call, within the SDK's attempts; other client errors are not. The answers come
 * from a loopback HTTP server speaking the service's JSON protocol, through a real SDK client.
 */
class PendingUpdateRetryTest {
  private static final TargetKey KEY =
      new TargetKey("endpoint/ep/variant/AllTraffic", "sagemaker:variant:DesiredInstanceCount");
  private static final String OK = "200 {}";

  private final Deque<String> answers = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server = startServer();
  private final AwsClientFactory factory =
      new AwsClientFactory(
          new AwsClientFactory.Settings(
              Optional.of("us-east-1"),
              Optional.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())),
              StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
              3,
              Duration.ofSeconds(10)),
          new AwsCallMetrics(new SimpleMeterRegistry()));

  @AfterEach
  void stop() {
    factory.close();
    server.stop(0);
  }

  @Test
  void aPendingUpdateIsRetriedUntilTheWriteGoesThrough() {
    answers.addAll(
        List.of(error("ConcurrentUpdateException"), error("ConcurrentUpdateException"), OK));

    factory.forTarget("us-east-1", null).deregisterTarget(KEY);

    assertThat(requests).hasValue(3);
  }

  @Test
  void aPendingUpdateThatOutlastsTheAttemptsIsLeftToTheReconcilerAsRecoverable() {
    answers.addAll(
        List.of(
            error("ConcurrentUpdateException"),
            error("ConcurrentUpdateException"),
            error("ConcurrentUpdateException"),
            OK));

    assertThatThrownBy(() -> factory.forTarget("us-east-1", null).deregisterTarget(KEY))
        .isInstanceOfSatisfying(
            AwsApiException.class, e -> assertThat(e.kind()).isEqualTo(AwsErrorKind.RECOVERABLE));
    assertThat(requests).hasValue(3);
  }

  @Test
  void aRejectedRequestIsNotRepeated() {
    answers.addAll(List.of(error("ValidationException"), OK));

    assertThatThrownBy(() -> factory.forTarget("us-east-1", null).deregisterTarget(KEY))
        .isInstanceOfSatisfying(
            AwsApiException.class, e -> assertThat(e.kind()).isEqualTo(AwsErrorKind.TERMINAL));
    assertThat(requests).hasValue(1);
  }

  private static String error(String type) {
    return "400 {\"__type\":\"" + type + "\",\"message\":\"injected " + type + "\"}";
  }

  private HttpServer startServer() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext(
          "/",
          exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            String answer;
            synchronized (answers) {
              answer = answers.isEmpty() ? OK : answers.poll();
            }
            byte[] body = answer.substring(4).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(Integer.parseInt(answer.substring(0, 3)), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      http.start();
      return http;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
