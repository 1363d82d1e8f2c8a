package dev.sagemaker.autoscaling.simulate;

import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.MetricSource;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which recorded CloudWatch metric fills each trace column a plan needs, so a replay can run on the
 * endpoint's own history. Fleet totals come from the Sum statistic over one minute: the instance
 * metrics in /aws/sagemaker/Endpoints carry one datapoint per instance, so their Sum is the total.
 */
public final class TraceSources {
  private TraceSources() {}

  /** A column and where CloudWatch keeps it. */
  public record Source(
      String column,
      String namespace,
      String metricName,
      Map<String, String> dimensions,
      String statistic) {}

  public static List<Source> forPlan(DesiredState plan) {
    Map<String, String> variant = variantDimensions(plan.target().key().resourceId());
    Map<String, Source> byColumn = new LinkedHashMap<>();
    List<MetricSource> sources = new ArrayList<>();
    for (ScalingPolicy policy : plan.policies()) {
      if (policy.config() instanceof PolicyConfig.TargetTracking tt) {
        sources.add(tt.metric());
      }
    }
    plan.alarms().forEach(a -> sources.add(a.metric()));
    for (MetricSource source : sources) {
      MetricReader reader = MetricReader.of(source);
      if (reader.kind() == MetricReader.Kind.UNSUPPORTED || byColumn.containsKey(reader.column())) {
        continue;
      }
      Source found =
          switch (reader.column()) {
            case "Invocations" ->
                new Source("Invocations", "AWS/SageMaker", "Invocations", variant, "Sum");
            case "ApproximateBacklogSize" ->
                new Source(
                    "ApproximateBacklogSize",
                    "AWS/SageMaker",
                    "ApproximateBacklogSize",
                    variant.containsKey("EndpointName")
                        ? Map.of("EndpointName", variant.get("EndpointName"))
                        : variant,
                    "Average");
            case "ConcurrentRequests" -> null;
            default -> {
              if (reader.kind() == MetricReader.Kind.PER_CAPACITY) {
                yield new Source(
                    reader.column(), "/aws/sagemaker/Endpoints", reader.column(), variant, "Sum");
              }
              yield custom(source, reader.column());
            }
          };
      if (found != null) {
        byColumn.put(found.column(), found);
      }
    }
    return List.copyOf(byColumn.values());
  }

  private static Source custom(MetricSource source, String column) {
    if (source instanceof MetricSource.CloudWatch cw) {
      Map<String, String> dims = new LinkedHashMap<>();
      cw.dimensions().forEach(d -> dims.put(d.name(), d.value()));
      return new Source(column, cw.namespace(), cw.name(), dims, cw.statistic());
    }
    return null;
  }

  static Map<String, String> variantDimensions(String resourceId) {
    String[] parts = resourceId.split("/");
    Map<String, String> dims = new LinkedHashMap<>();
    if (parts.length == 4 && parts[0].equals("endpoint")) {
      dims.put("EndpointName", parts[1]);
      dims.put("VariantName", parts[3]);
    } else if (parts.length == 2 && parts[0].equals("inference-component")) {
      dims.put("InferenceComponentName", parts[1]);
    }
    return dims;
  }
}
