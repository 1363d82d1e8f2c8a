package dev.sagemaker.autoscaling.plan;

import dev.sagemaker.autoscaling.api.v1alpha1.AdjustmentType;
import dev.sagemaker.autoscaling.api.v1alpha1.AlarmSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricKind;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingTarget;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduleSpec;
import dev.sagemaker.autoscaling.api.v1alpha1.StepBand;
import dev.sagemaker.autoscaling.api.v1alpha1.StepScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SuspendSpec;
import dev.sagemaker.autoscaling.api.v1alpha1.TargetTrackingPolicy;
import dev.sagemaker.autoscaling.plan.MetricSource.CloudWatch;
import dev.sagemaker.autoscaling.plan.MetricSource.Dimension;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepAdjustment;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepScaling;
import dev.sagemaker.autoscaling.plan.PolicyConfig.TargetTracking;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pure: turns a spec into the AWS objects it needs. Shared by the reconciler and the offline
 * {@code plan} command, so both always agree.
 */
public final class Planner {
  private Planner() {}

  /** Whether the plan needs the variant's instance type (per-core or per-GPU metrics). */
  public static boolean needsInstanceType(SageMakerScalingPolicySpec spec) {
    return spec.getTargetTracking().stream().anyMatch(t -> perUnit(t.getMetric()))
        || spec.getStepScaling().stream().anyMatch(s -> perUnit(s.getMetric()));
  }

  public static TargetKey targetKey(SageMakerScalingPolicySpec spec) {
    return TargetKind.of(spec.getTarget()).key(spec.getTarget());
  }

  public static DesiredState plan(SageMakerScalingPolicySpec spec, Owner owner, Optional<String> instanceType)
      throws InvalidSpecException {
    List<SpecProblem> problems = SpecValidator.validate(spec, owner);
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    ScalingTarget target = spec.getTarget();
    ModelDefaults defaults = ModelDefaults.of(spec.getModelType());
    List<ScalingPolicy> policies = new ArrayList<>();
    List<Alarm> alarms = new ArrayList<>();
    List<SpecProblem> planningProblems = new ArrayList<>();

    for (int i = 0; i < spec.getTargetTracking().size(); i++) {
      TargetTrackingPolicy item = spec.getTargetTracking().get(i);
      try {
        policies.add(targetTracking(item, target, owner, defaults, instanceType));
      } catch (PlanningException e) {
        planningProblems.add(new SpecProblem("spec.targetTracking[" + i + "].metric", item.getMetric() + " " + e.getMessage()));
      }
    }
    for (int i = 0; i < spec.getStepScaling().size(); i++) {
      StepScalingPolicy item = spec.getStepScaling().get(i);
      try {
        stepScaling(item, target, owner, defaults, instanceType, policies, alarms);
      } catch (PlanningException e) {
        planningProblems.add(new SpecProblem("spec.stepScaling[" + i + "].metric", item.getMetric() + " " + e.getMessage()));
      } catch (StepBands.InvalidBandsException e) {
        planningProblems.add(new SpecProblem("spec.stepScaling[" + i + "].steps", e.getMessage()));
      }
    }
    if (!planningProblems.isEmpty()) {
      throw new InvalidSpecException(planningProblems);
    }
    if (Boolean.TRUE.equals(spec.getScaleFromZero())) {
      scaleFromZero(target, owner, policies, alarms);
    }
    List<ScheduledAction> schedules = spec.getSchedules().stream().map(s -> schedule(s, owner)).toList();
    SuspendSpec suspend = spec.getSuspend();
    Suspension suspension =
        suspend == null ? Suspension.NONE : new Suspension(suspend.isScaleIn(), suspend.isScaleOut(), suspend.isScheduled());
    ScalableTarget scalableTarget =
        new ScalableTarget(targetKey(spec), spec.getMinCapacity(), spec.getMaxCapacity(), suspension);
    return new DesiredState(scalableTarget, policies, alarms, schedules, owner.tags());
  }

  static List<StepBands.Band> bands(List<StepBand> steps) {
    return steps.stream().map(s -> new StepBands.Band(s.getLower(), s.getUpper(), s.getChange())).toList();
  }

  private static ScalingPolicy targetTracking(
      TargetTrackingPolicy item, ScalingTarget target, Owner owner, ModelDefaults defaults, Optional<String> instanceType)
      throws PlanningException {
    MetricSource metric =
        MetricCatalog.trackingSource(item.getMetric(), target, item.getCustomMetric(), item.getMetricQueries(), instanceType);
    return new ScalingPolicy(
        owner.targetTrackingPolicy(item.getName()),
        new TargetTracking(
            item.getTargetValue(),
            metric,
            orDefault(item.getScaleOutCooldownSeconds(), defaults.scaleOutCooldownSeconds()),
            orDefault(item.getScaleInCooldownSeconds(), defaults.scaleInCooldownSeconds()),
            Boolean.TRUE.equals(item.getDisableScaleIn())));
  }

  private static void stepScaling(
      StepScalingPolicy item,
      ScalingTarget target,
      Owner owner,
      ModelDefaults defaults,
      Optional<String> instanceType,
      List<ScalingPolicy> policies,
      List<Alarm> alarms)
      throws PlanningException, StepBands.InvalidBandsException {
    AdjustmentType adjustment = item.getAdjustmentType() == null ? AdjustmentType.ChangeInCapacity : item.getAdjustmentType();
    AlarmSettings settings = item.getAlarm() == null ? new AlarmSettings() : item.getAlarm();
    String statistic = settings.getStatistic() == null ? null : settings.getStatistic().name();
    MetricSource metric = MetricCatalog.alarmSource(item.getMetric(), target, item.getCustomMetric(), statistic, instanceType);
    String aggregation = item.getMetricAggregationType() != null
        ? item.getMetricAggregationType().name()
        : aggregationFor(MetricCatalog.usualStatistic(metric));
    int period = orDefault(settings.getPeriodSeconds(), 60);
    int evaluations = orDefault(settings.getEvaluationPeriods(), 1);
    int datapoints = orDefault(settings.getDatapointsToAlarm(), evaluations);
    String missing = settings.getTreatMissingData() == null ? "missing" : settings.getTreatMissingData().name();

    List<StepBands.CompleteBand> normalized =
        StepBands.normalize(bands(item.getSteps()), adjustment == AdjustmentType.ExactCapacity);
    for (StepBands.SidePolicy side : StepBands.split(normalized)) {
      String name = owner.stepPolicy(item.getName(), side.side());
      int cooldown = orDefault(
          item.getCooldownSeconds(),
          side.side() == StepBands.Side.LOWER ? defaults.scaleInCooldownSeconds() : defaults.scaleOutCooldownSeconds());
      policies.add(new ScalingPolicy(name, new StepScaling(
          adjustment.name(), side.adjustments(), item.getMinAdjustmentMagnitude(), cooldown, aggregation)));
      alarms.add(new Alarm(
          name,
          name,
          (side.side() == StepBands.Side.LOWER ? "Lower" : "Upper") + " threshold scaling alarm for step policy "
              + item.getName() + " (managed by sagemaker-autoscaling-operator for " + owner.tagValue() + ")",
          metric,
          side.threshold(),
          side.side().comparisonOperator(),
          period,
          evaluations,
          datapoints,
          missing));
    }
  }

  /**
   * The step policy and alarm AWS documents for leaving zero capacity: async endpoints watch
   * HasBacklogWithoutCapacity, inference components NoCapacityInvocationFailures.
   */
  private static void scaleFromZero(ScalingTarget target, Owner owner, List<ScalingPolicy> policies, List<Alarm> alarms) {
    String name = owner.scaleFromZeroPolicy();
    boolean component = target.getInferenceComponentName() != null;
    StepAdjustment addOne = new StepAdjustment(0.0, null, 1);
    if (component) {
      policies.add(new ScalingPolicy(name, new StepScaling("ChangeInCapacity", List.of(addOne), null, 60, "Maximum")));
      alarms.add(new Alarm(name, name, "Scale the inference component out from zero copies when invocations fail for lack of capacity",
          new CloudWatch(MetricCatalog.SAGEMAKER_NAMESPACE, "NoCapacityInvocationFailures",
              List.of(new Dimension("InferenceComponentName", target.getInferenceComponentName())), "Sum", null),
          1, "GreaterThanThreshold", 60, 1, 1, "missing"));
    } else {
      policies.add(new ScalingPolicy(name, new StepScaling("ChangeInCapacity", List.of(addOne), null, 300, "Average")));
      alarms.add(new Alarm(name, name, "Scale the async endpoint out from zero instances when requests queue up",
          new CloudWatch(MetricCatalog.SAGEMAKER_NAMESPACE, "HasBacklogWithoutCapacity",
              List.of(new Dimension("EndpointName", target.getEndpointName())), "Average", null),
          1, "GreaterThanOrEqualToThreshold", 60, 2, 2, "missing"));
    }
  }

  private static ScheduledAction schedule(ScheduleSpec item, Owner owner) {
    return new ScheduledAction(
        owner.scheduledAction(item.getName()),
        item.getSchedule(),
        item.getTimezone(),
        item.getStartTime() == null ? null : OffsetDateTime.parse(item.getStartTime()).toInstant(),
        item.getEndTime() == null ? null : OffsetDateTime.parse(item.getEndTime()).toInstant(),
        item.getMinCapacity(),
        item.getMaxCapacity());
  }

  private static String aggregationFor(String statistic) {
    return switch (statistic) {
      case "Minimum", "Maximum" -> statistic;
      default -> "Average";
    };
  }

  private static boolean perUnit(MetricKind metric) {
    return metric == MetricKind.CPUUtilizationPerCore || metric == MetricKind.GPUUtilizationPerGPU;
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
