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
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Maps a metric kind to where SageMaker publishes it, for the kind of target being scaled. Sources:
 * the SageMaker developer guide's CloudWatch metrics and autoscaling pages (see docs/metrics.md).
 *
 * <p>One row per {@link MetricKind}: adding a metric kind means adding its enum constant and its
 * row here (and, if it is target tracking only, its name to {@link
 * dev.sagemaker.autoscaling.api.v1alpha1.StepScalingPolicy#TARGET_TRACKING_ONLY_METRICS}, which a
 * test checks against this table).
 */
final class MetricCatalog {
  static final String ENDPOINT_INSTANCE_NAMESPACE = "/aws/sagemaker/Endpoints";
  static final String SAGEMAKER_NAMESPACE = "AWS/SageMaker";

  /** What a row needs to build a metric source. */
  record Inputs(
      ScalingTarget target,
      CustomMetric custom,
      List<MetricQuery> queries,
      Optional<String> instanceType) {}

  @FunctionalInterface
  interface SourceBuilder {
    MetricSource build(Inputs in) throws PlanningException;
  }

  /**
   * One metric kind: the targets it exists for, whether only Async endpoints publish it, the source
   * a target-tracking policy reads and the one a step alarm reads (null: target tracking only,
   * because it is an Application Auto Scaling predefined metric with no CloudWatch twin), and
   * whether it needs the variant's instance type.
   */
  record Row(
      Set<TargetKind> targets,
      boolean asyncOnly,
      SourceBuilder tracking,
      SourceBuilder alarm,
      boolean needsInstanceType) {
    boolean stepScaling() {
      return alarm != null;
    }
  }

  private static final Set<TargetKind> VARIANT = EnumSet.of(TargetKind.VARIANT_INSTANCES);
  private static final Set<TargetKind> COMPONENT = EnumSet.of(TargetKind.INFERENCE_COMPONENT);
  private static final Map<MetricKind, Row> ROWS = new EnumMap<>(MetricKind.class);

  static {
    row(
        MetricKind.InvocationsPerInstance,
        VARIANT,
        false,
        in -> new Predefined("SageMakerVariantInvocationsPerInstance"),
        in ->
            new CloudWatch(
                SAGEMAKER_NAMESPACE,
                "InvocationsPerInstance",
                variantDimensions(in.target()),
                "Sum",
                null));
    row(
        MetricKind.ConcurrentRequestsPerModel,
        VARIANT,
        false,
        in -> new Predefined("SageMakerVariantConcurrentRequestsPerModelHighResolution"),
        null);
    row(
        MetricKind.InvocationsPerCopy,
        COMPONENT,
        false,
        in -> new Predefined("SageMakerInferenceComponentInvocationsPerCopy"),
        in ->
            new CloudWatch(
                SAGEMAKER_NAMESPACE,
                "InvocationsPerCopy",
                componentDimensions(in.target()),
                "Sum",
                null));
    row(
        MetricKind.ConcurrentRequestsPerCopy,
        COMPONENT,
        false,
        in -> new Predefined("SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"),
        null);
    row(
        MetricKind.ProvisionedConcurrencyUtilization,
        EnumSet.of(TargetKind.VARIANT_PROVISIONED_CONCURRENCY),
        false,
        in -> new Predefined("SageMakerVariantProvisionedConcurrencyUtilization"),
        null);
    for (MetricKind utilization :
        List.of(
            MetricKind.CPUUtilization,
            MetricKind.MemoryUtilization,
            MetricKind.GPUUtilization,
            MetricKind.GPUMemoryUtilization,
            MetricKind.DiskUtilization)) {
      SourceBuilder source = in -> endpointInstanceMetric(utilization.name(), in.target());
      row(utilization, VARIANT, false, source, source);
    }
    SourceBuilder perCore = in -> perUnit("CPUUtilization", "vCPU", InstanceTypes::vcpus, in);
    ROWS.put(MetricKind.CPUUtilizationPerCore, new Row(VARIANT, false, perCore, perCore, true));
    SourceBuilder perGpu = in -> perUnit("GPUUtilization", "GPU", InstanceTypes::gpus, in);
    ROWS.put(MetricKind.GPUUtilizationPerGPU, new Row(VARIANT, false, perGpu, perGpu, true));
    SourceBuilder backlog =
        in ->
            new CloudWatch(
                SAGEMAKER_NAMESPACE,
                "ApproximateBacklogSizePerInstance",
                List.of(new Dimension("EndpointName", in.target().getEndpointName())),
                "Average",
                null);
    row(MetricKind.BacklogSizePerInstance, VARIANT, true, backlog, backlog);
    row(
        MetricKind.Custom,
        EnumSet.allOf(TargetKind.class),
        false,
        in -> in.custom() != null ? cloudWatch(in.custom()) : metricMath(in.queries()),
        in -> cloudWatch(in.custom()));
    if (ROWS.size() != MetricKind.values().length) {
      throw new ExceptionInInitializerError(
          "MetricCatalog has no row for " + EnumSet.complementOf(EnumSet.copyOf(ROWS.keySet())));
    }
  }

  private MetricCatalog() {}

  private static void row(
      MetricKind kind,
      Set<TargetKind> targets,
      boolean asyncOnly,
      SourceBuilder tracking,
      SourceBuilder alarm) {
    ROWS.put(kind, new Row(targets, asyncOnly, tracking, alarm, false));
  }

  static Row row(MetricKind kind) {
    return ROWS.get(kind);
  }

  /** Why the metric cannot be used, or empty when it can. */
  static Optional<String> unsupported(
      MetricKind metric, TargetKind kind, ModelType model, boolean stepScaling) {
    Row row = ROWS.get(metric);
    boolean forTarget = row.targets().contains(kind);
    if (kind == TargetKind.VARIANT_PROVISIONED_CONCURRENCY
        && (!forTarget || (stepScaling && !row.stepScaling()))) {
      return Optional.of(
          "provisioned concurrency scales only on ProvisionedConcurrencyUtilization (target"
              + " tracking) or a Custom metric");
    }
    if (!forTarget) {
      return Optional.of(metric + " is not available for " + kind.describe());
    }
    if (row.asyncOnly() && model != ModelType.Async) {
      return Optional.of(metric + " exists only for modelType Async");
    }
    if (stepScaling && !row.stepScaling()) {
      return Optional.of(
          metric
              + " is a predefined target-tracking metric; step scaling needs a CloudWatch metric");
    }
    return Optional.empty();
  }

  static boolean needsInstanceType(MetricKind metric) {
    return metric != null && ROWS.get(metric).needsInstanceType();
  }

  /** The metric of a target-tracking policy. */
  static MetricSource trackingSource(
      MetricKind metric,
      ScalingTarget target,
      CustomMetric custom,
      List<MetricQuery> queries,
      Optional<String> instanceType)
      throws PlanningException {
    return ROWS.get(metric).tracking().build(new Inputs(target, custom, queries, instanceType));
  }

  /** The metric of a step policy's alarms; statistic overrides the metric's usual one when set. */
  static MetricSource alarmSource(
      MetricKind metric,
      ScalingTarget target,
      CustomMetric custom,
      String statistic,
      Optional<String> instanceType)
      throws PlanningException {
    MetricSource source =
        ROWS.get(metric).alarm().build(new Inputs(target, custom, null, instanceType));
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

  /**
   * The utilization metrics SageMaker publishes per endpoint instance. No unit filter, as the AWS
   * CDK's endpoint metrics: SageMaker publishes them in Percent, and a filter adds nothing.
   */
  private static CloudWatch endpointInstanceMetric(String name, ScalingTarget target) {
    return new CloudWatch(
        ENDPOINT_INSTANCE_NAMESPACE, name, variantDimensions(target), "Average", null);
  }

  /** Utilization summed over cores or GPUs, divided by their count: 100 means all of them busy. */
  private static MetricSource perUnit(
      String metricName, String unitName, Function<String, Optional<Integer>> count, Inputs in)
      throws PlanningException {
    Optional<Integer> units = in.instanceType().flatMap(count);
    if (units.isEmpty()) {
      throw new PlanningException(
          in.instanceType().isEmpty()
              ? "needs the variant's instance type, which is not known yet"
              : "cannot tell how many "
                  + unitName
                  + "s instance type "
                  + in.instanceType().get()
                  + " has");
    }
    return new MetricMath(
        List.of(
            new Query("m1", null, endpointInstanceMetric(metricName, in.target()), null, false),
            new Query("e1", "m1 / " + units.get(), null, metricName + " per " + unitName, true)));
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
        custom.getUnit() == null ? null : custom.getUnit().awsName());
  }

  private static MetricMath metricMath(List<MetricQuery> queries) {
    return new MetricMath(
        queries.stream()
            .map(
                q ->
                    new Query(
                        q.getId(),
                        q.getExpression(),
                        q.getMetric() == null ? null : cloudWatch(q.getMetric()),
                        q.getLabel(),
                        // AWS reads an unset ReturnData as true and accepts only one such query:
                        // say false.
                        Boolean.TRUE.equals(q.getReturnData())))
            .toList());
  }

  private static MetricSource withStatistic(MetricSource source, String statistic) {
    if (source instanceof CloudWatch cw) {
      return withStatistic(cw, statistic);
    }
    if (source instanceof MetricMath math) {
      return new MetricMath(
          math.queries().stream()
              .map(
                  q ->
                      q.metric() == null
                          ? q
                          : new Query(
                              q.id(),
                              q.expression(),
                              withStatistic(q.metric(), statistic),
                              q.label(),
                              q.returnData()))
              .toList());
    }
    return source;
  }

  private static CloudWatch withStatistic(CloudWatch cw, String statistic) {
    return new CloudWatch(cw.namespace(), cw.name(), cw.dimensions(), statistic, cw.unit());
  }
}
