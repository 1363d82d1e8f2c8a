package dev.sagemaker.autoscaling.aws;

import dev.sagemaker.autoscaling.plan.Change;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

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

  /** @param policyArnPlaceholder what to show where an alarm needs the ARN of a policy not yet created */
  public static RenderedRequest render(Change change, java.util.function.Function<String, String> policyArnPlaceholder) {
    if (change instanceof Change.RegisterTarget c) {
      return aas("RegisterScalableTarget", AwsRequests.registerTarget(c.target(), c.tags(), c.create()));
    } else if (change instanceof Change.PutPolicy c) {
      return aas("PutScalingPolicy", AwsRequests.putPolicy(c.key(), c.policy()));
    } else if (change instanceof Change.PutScheduledAction c) {
      return aas("PutScheduledAction", AwsRequests.putScheduledAction(c.key(), c.action()));
    } else if (change instanceof Change.DeletePolicy c) {
      return aas("DeleteScalingPolicy", AwsRequests.deletePolicy(c.key(), c.name()));
    } else if (change instanceof Change.DeleteScheduledAction c) {
      return aas("DeleteScheduledAction", AwsRequests.deleteScheduledAction(c.key(), c.name()));
    } else if (change instanceof Change.DeregisterTarget c) {
      return aas("DeregisterScalableTarget", AwsRequests.deregisterTarget(c.key()));
    } else if (change instanceof Change.PutAlarm c) {
      return new RenderedRequest(CLOUDWATCH, "PutMetricAlarm",
          fields(AwsRequests.putAlarm(c.alarm(), policyArnPlaceholder.apply(c.alarm().policyName()), c.tags())));
    }
    Change.DeleteAlarms c = (Change.DeleteAlarms) change;
    return new RenderedRequest(CLOUDWATCH, "DeleteAlarms", fields(AwsRequests.deleteAlarms(c.names())));
  }

  private static RenderedRequest aas(String operation, SdkPojo request) {
    return new RenderedRequest(APPLICATION_AUTOSCALING, operation, fields(request));
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
    if (value == null || value instanceof SdkAutoConstructList<?> || value instanceof SdkAutoConstructMap<?, ?>) {
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
          .sorted(Map.Entry.comparingByKey((a, b) -> String.valueOf(a).compareTo(String.valueOf(b))))
          .forEach(e -> out.put(String.valueOf(e.getKey()), value(e.getValue())));
      return out;
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    return value;
  }
}
