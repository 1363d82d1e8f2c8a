package dev.sagemaker.autoscaling.testing;

import dev.sagemaker.autoscaling.aws.AwsCallMetrics;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which AWS operation an HTTP request is, read off the wire the way the service itself routes it:
 * the JSON protocols (Application Auto Scaling, SageMaker, CloudWatch's JSON 1.0) name it in
 * X-Amz-Target, CloudWatch's query protocol in the form's Action field, and Smithy RPC v2 CBOR
 * (CloudWatch from SDK 2.40.6 on) in the path /service/&lt;name&gt;/operation/&lt;operation&gt;.
 * The service comes from the SigV4 credential scope, in the SDK's service names the operator's
 * metrics use.
 */
public record AwsOperation(String service, String operation, Protocol protocol) {
  /** The wire protocol, which decides how an injected error must be written. */
  public enum Protocol {
    JSON,
    QUERY,
    CBOR
  }

  /** SigV4 signing names to the SDK service names. */
  private static final Map<String, String> SDK_SERVICE_NAMES =
      Map.of(
          "application-autoscaling", "ApplicationAutoScaling",
          "monitoring", "CloudWatch",
          "sagemaker", "SageMaker",
          "sts", "Sts");

  /** "Service Operation", as the benchmark's call tables key it. */
  public String key() {
    return service + " " + operation;
  }

  public boolean isRead() {
    return AwsCallMetrics.isRead(operation);
  }

  /**
   * The operation of a request, or empty when the request names none this parser knows: such a call
   * must fail the test rather than be counted as something it may not be.
   */
  public static Optional<AwsOperation> parse(
      String authorization, String amzTarget, String contentType, String path, byte[] body) {
    Optional<String> service = service(authorization);
    if (service.isEmpty()) {
      return Optional.empty();
    }
    if (amzTarget != null) {
      int dot = amzTarget.lastIndexOf('.');
      return dot > 0 && dot + 1 < amzTarget.length()
          ? Optional.of(
              new AwsOperation(service.get(), amzTarget.substring(dot + 1), Protocol.JSON))
          : Optional.empty();
    }
    if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
      for (String field : new String(body, StandardCharsets.UTF_8).split("&")) {
        if (field.startsWith("Action=") && field.length() > "Action=".length()) {
          return Optional.of(
              new AwsOperation(
                  service.get(),
                  URLDecoder.decode(field.substring("Action=".length()), StandardCharsets.UTF_8),
                  Protocol.QUERY));
        }
      }
      return Optional.empty();
    }
    List<String> segments = List.of(path.split("/"));
    int at = segments.indexOf("operation");
    if (segments.size() > 2
        && segments.get(1).equals("service")
        && at > 0
        && at + 1 < segments.size()) {
      return Optional.of(new AwsOperation(service.get(), segments.get(at + 1), Protocol.CBOR));
    }
    return Optional.empty();
  }

  /**
   * "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sagemaker/aws4_request, ..." ->
   * "SageMaker".
   */
  static Optional<String> service(String authorization) {
    if (authorization == null || !authorization.contains("Credential=")) {
      return Optional.empty();
    }
    String scope =
        authorization.substring(authorization.indexOf("Credential=") + "Credential=".length())
            .split(",", 2)[0];
    String[] parts = scope.split("/");
    return parts.length >= 5
        ? Optional.of(SDK_SERVICE_NAMES.getOrDefault(parts[3], parts[3]))
        : Optional.empty();
  }
}
