package dev.sagemaker.autoscaling.aws;

import dev.sagemaker.autoscaling.plan.Change;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchRequest;

/**
 * Renders changes as the AWS requests the operator would send, with member names as the AWS API
 * reference spells them (PolicyName, StepScalingPolicyConfiguration, ...). It walks the very SDK
 * request objects the operator sends, so the rendering cannot drift from the calls.
 */
public final class RequestRenderer {
  public static final String APPLICATION_AUTOSCALING = "application-autoscaling";
  public static final String CLOUDWATCH = "cloudwatch";

  private RequestRenderer() {}

  /** One rendered request: service, operation and the request's fields. */
  public record RenderedRequest(String service, String operation, Map<String, Object> request) {}

  /**
   * @param policyArnPlaceholder what to show where an alarm needs the ARN of a policy not yet
   *     created
   */
  public static RenderedRequest render(
      Change change, Function<String, String> policyArnPlaceholder) {
    SdkRequest request = AwsMapping.request(change, policyArnPlaceholder);
    String service = request instanceof CloudWatchRequest ? CLOUDWATCH : APPLICATION_AUTOSCALING;
    return new RenderedRequest(service, change.operation(), fields(request));
  }

  static Map<String, Object> fields(SdkPojo pojo) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (SdkField<?> field : pojo.sdkFields()) {
      Object value = value(field.getValueOrDefault(pojo));
      if (value != null) {
        out.put(field.memberName(), value);
      }
    }
    return out;
  }

  private static Object value(Object value) {
    if (value == null
        || value instanceof SdkAutoConstructList<?>
        || value instanceof SdkAutoConstructMap<?, ?>) {
      return null;
    }
    if (value instanceof SdkPojo pojo) {
      return fields(pojo);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(value(v)));
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.entrySet().stream()
          .sorted(
              Map.Entry.comparingByKey((a, b) -> String.valueOf(a).compareTo(String.valueOf(b))))
          .forEach(e -> out.put(String.valueOf(e.getKey()), value(e.getValue())));
      return out;
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    return value;
  }
}
