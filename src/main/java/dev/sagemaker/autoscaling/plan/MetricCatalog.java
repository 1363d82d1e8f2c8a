package dev.sagemaker.autoscaling.plan;

import dev.sagemaker.autoscaling.api.v1alpha1.CustomMetric;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricKind;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricQuery;
import dev.sagemaker.autoscaling.api.v1alpha1.ModelType;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingTarget;
import dev.sagemaker.autoscaling.plan.MetricSource.CloudWatch;
import dev.sagemaker.autoscaling.plan.MetricSource.Dimension;
import dev.sagemaker.autoscaling.plan.MetricSource.MetricMath;
import dev.sagemaker.autoscaling.plan.MetricSource.Predefined;
import dev.sagemaker.autoscaling.plan.MetricSource.Query;
import java.util.List;
import java.util.Optional;

/**
 * Maps a metric kind to where SageMaker publishes it, for the kind of target being scaled. Sources:
 * the SageMaker developer guide's CloudWatch metrics and autoscaling pages (see
 * docs/metrics.md).
 */
final class MetricCatalog {
  static final String ENDPOINT_INSTANCE_NAMESPACE = "/aws/sagemaker/Endpoints";
  static final String SAGEMAKER_NAMESPACE = "AWS/SageMaker";

  private MetricCatalog() {}

  /** Why the metric cannot be used, or empty when it can. */
  static Optional<String> unsupported(MetricKind metric, TargetKind kind, ModelType model, boolean stepScaling) {
    if (metric == MetricKind.Custom) {
      return Optional.empty();
    }
    if (kind == TargetKind.VARIANT_PROVISIONED_CONCURRENCY) {
      return metric == MetricKind.ProvisionedConcurrencyUtilization && !stepScaling
          ? Optional.empty()
          : Optional.of(
              "provisioned concurrency scales only on ProvisionedConcurrencyUtilization (target tracking) or a Custom metric");
    }
    boolean ok =
        switch (metric) {
          case InvocationsPerInstance, CPUUtilization, CPUUtilizationPerCore, MemoryUtilization,
              GPUUtilization, GPUUtilizationPerGPU, GPUMemoryUtilization, DiskUtilization ->
              kind == TargetKind.VARIANT_INSTANCES;
          case ConcurrentRequestsPerModel -> kind == TargetKind.VARIANT_INSTANCES && !stepScaling;
          case InvocationsPerCopy -> kind == TargetKind.INFERENCE_COMPONENT;
          case ConcurrentRequestsPerCopy -> kind == TargetKind.INFERENCE_COMPONENT && !stepScaling;
          case BacklogSizePerInstance -> kind == TargetKind.VARIANT_INSTANCES && model == ModelType.Async;
          case ProvisionedConcurrencyUtilization, Custom -> false;
        };
    if (ok) {
      return Optional.empty();
    }
    if (metric == MetricKind.BacklogSizePerInstance && kind == TargetKind.VARIANT_INSTANCES) {
      return Optional.of("BacklogSizePerInstance exists only for modelType Async");
    }
    if (stepScaling
        && (metric == MetricKind.ConcurrentRequestsPerModel || metric == MetricKind.ConcurrentRequestsPerCopy)) {
      return Optional.of(metric + " is a predefined target-tracking metric; step scaling needs a CloudWatch metric");
    }
    return Optional.of(metric + " is not available for " + kind.describe());
  }

  /** The metric of a target-tracking policy. */
  static MetricSource trackingSource(
      MetricKind metric, ScalingTarget target, CustomMetric custom, List<MetricQuery> queries, Optional<String> instanceType)
      throws PlanningException {
    return switch (metric) {
      case InvocationsPerInstance -> new Predefined("SageMakerVariantInvocationsPerInstance");
      case ConcurrentRequestsPerModel -> new Predefined("SageMakerVariantConcurrentRequestsPerModelHighResolution");
      case InvocationsPerCopy -> new Predefined("SageMakerInferenceComponentInvocationsPerCopy");
      case ConcurrentRequestsPerCopy -> new Predefined("SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution");
      case ProvisionedConcurrencyUtilization -> new Predefined("SageMakerVariantProvisionedConcurrencyUtilization");
      case Custom -> custom != null ? cloudWatch(custom) : metricMath(queries);
      default -> cloudWatchSource(metric, target, instanceType);
    };
  }

  /** The metric of a step policy's alarms; statistic overrides the metric's usual one when set. */
  static MetricSource alarmSource(
      MetricKind metric, ScalingTarget target, CustomMetric custom, String statistic, Optional<String> instanceType)
      throws PlanningException {
    MetricSource source =
        switch (metric) {
          case InvocationsPerInstance -> new CloudWatch(
              SAGEMAKER_NAMESPACE, "InvocationsPerInstance", variantDimensions(target), "Sum", null);
          case InvocationsPerCopy -> new CloudWatch(
              SAGEMAKER_NAMESPACE, "InvocationsPerCopy", componentDimensions(target), "Sum", null);
          case Custom -> cloudWatch(custom);
          default -> cloudWatchSource(metric, target, instanceType);
        };
    return statistic == null ? source : withStatistic(source, statistic);
  }

  static String usualStatistic(MetricSource source) {
    if (source instanceof CloudWatch cw) {
      return cw.statistic();
    }
    if (source instanceof MetricMath math) {
      return math.queries().stream()
          .filter(q -> q.metric() != null)
          .map(q -> q.metric().statistic())
          .findFirst()
          .orElse("Average");
    }
    return "Average";
  }

  private static MetricSource cloudWatchSource(MetricKind metric, ScalingTarget target, Optional<String> instanceType)
      throws PlanningException {
    return switch (metric) {
      case CPUUtilization, MemoryUtilization, GPUUtilization, GPUMemoryUtilization, DiskUtilization ->
          endpointInstanceMetric(metric.name(), target);
      case CPUUtilizationPerCore -> perUnit("CPUUtilization", target, "vCPUs",
          instanceType.flatMap(InstanceTypes::vcpus), instanceType);
      case GPUUtilizationPerGPU -> perUnit("GPUUtilization", target, "GPUs",
          instanceType.flatMap(InstanceTypes::gpus), instanceType);
      case BacklogSizePerInstance -> new CloudWatch(
          SAGEMAKER_NAMESPACE,
          "ApproximateBacklogSizePerInstance",
          List.of(new Dimension("EndpointName", target.getEndpointName())),
          "Average",
          null);
      default -> throw new IllegalArgumentException("not a CloudWatch metric kind: " + metric);
    };
  }

  private static CloudWatch endpointInstanceMetric(String name, ScalingTarget target) {
    return new CloudWatch(ENDPOINT_INSTANCE_NAMESPACE, name, variantDimensions(target), "Average", "Percent");
  }

  /** Utilization summed over cores or GPUs, divided by their count: 100 means all of them busy. */
  private static MetricSource perUnit(
      String metricName, ScalingTarget target, String unitName, Optional<Integer> count, Optional<String> instanceType)
      throws PlanningException {
    if (count.isEmpty()) {
      throw new PlanningException(
          instanceType.isEmpty()
              ? "needs the variant's instance type, which is not known yet"
              : "cannot tell how many " + unitName + " instance type " + instanceType.get() + " has");
    }
    return new MetricMath(
        List.of(
            new Query("m1", null, endpointInstanceMetric(metricName, target), null, false),
            new Query("e1", "m1 / " + count.get(), null, metricName + " per " + unitName.substring(0, unitName.length() - 1), true)));
  }

  private static List<Dimension> variantDimensions(ScalingTarget target) {
    return List.of(
        new Dimension("EndpointName", target.getEndpointName()),
        new Dimension("VariantName", target.effectiveVariantName()));
  }

  private static List<Dimension> componentDimensions(ScalingTarget target) {
    return List.of(new Dimension("InferenceComponentName", target.getInferenceComponentName()));
  }

  static CloudWatch cloudWatch(CustomMetric custom) {
    return new CloudWatch(
        custom.getNamespace(),
        custom.getMetricName(),
        custom.getDimensions().stream().map(d -> new Dimension(d.getName(), d.getValue())).toList(),
        custom.getStatistic() == null ? "Average" : custom.getStatistic().name(),
        custom.getUnit());
  }

  private static MetricMath metricMath(List<MetricQuery> queries) {
    return new MetricMath(
        queries.stream()
            .map(q -> new Query(
                q.getId(),
                q.getExpression(),
                q.getMetric() == null ? null : cloudWatch(q.getMetric()),
                q.getLabel(),
                q.getReturnData()))
            .toList());
  }

  private static MetricSource withStatistic(MetricSource source, String statistic) {
    if (source instanceof CloudWatch cw) {
      return withStatistic(cw, statistic);
    }
    if (source instanceof MetricMath math) {
      return new MetricMath(
          math.queries().stream()
              .map(q -> q.metric() == null
                  ? q
                  : new Query(q.id(), q.expression(), withStatistic(q.metric(), statistic), q.label(), q.returnData()))
              .toList());
    }
    return source;
  }

  private static CloudWatch withStatistic(CloudWatch cw, String statistic) {
    return new CloudWatch(cw.namespace(), cw.name(), cw.dimensions(), statistic, cw.unit());
  }
}
