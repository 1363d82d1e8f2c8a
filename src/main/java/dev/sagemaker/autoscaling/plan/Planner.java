package dev.sagemaker.autoscaling.plan;

import dev.sagemaker.autoscaling.api.v1alpha1.AdjustmentType;
import dev.sagemaker.autoscaling.api.v1alpha1.AlarmSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.CustomMetric;
import dev.sagemaker.autoscaling.api.v1alpha1.ModelType;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingTarget;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduleSpec;
import dev.sagemaker.autoscaling.api.v1alpha1.StepScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SuspendSpec;
import dev.sagemaker.autoscaling.api.v1alpha1.TargetTrackingPolicy;
import dev.sagemaker.autoscaling.plan.EffectiveValue.Origin;
import dev.sagemaker.autoscaling.plan.MetricSource.CloudWatch;
import dev.sagemaker.autoscaling.plan.MetricSource.Dimension;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepAdjustment;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepScaling;
import dev.sagemaker.autoscaling.plan.PolicyConfig.TargetTracking;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: turns a spec into the AWS objects it needs, or the reasons it cannot. Shared by the
 * reconciler and the offline {@code plan} command, so both always agree.
 *
 * <p>Unset values mean what they mean to AWS and the AWS CDK: cooldowns are left out so Application
 * Auto Scaling applies its default (300 s for SageMaker), step alarms read 5-minute periods (the
 * CDK metric's default) over one evaluation period. Every value the plan carries is listed with its
 * origin in {@link Plan.Valid#effectiveValues()}.
 */
public final class Planner {
  /** The AWS CDK's cloudwatch.Metric period when none is given: 5 minutes. */
  static final int CDK_METRIC_PERIOD_SECONDS = AlarmSettings.DEFAULT_PERIOD_SECONDS;

  private final SageMakerScalingPolicySpec spec;
  private final Owner owner;
  private final Optional<String> instanceType;
  private final List<ScalingPolicy> policies = new ArrayList<>();
  private final List<Alarm> alarms = new ArrayList<>();
  private final List<EffectiveValue> effective = new ArrayList<>();
  private final List<SpecProblem> problems = new ArrayList<>();

  private Planner(SageMakerScalingPolicySpec spec, Owner owner, Optional<String> instanceType) {
    this.spec = spec;
    this.owner = owner;
    this.instanceType = instanceType;
  }

  /** Whether the plan needs the variant's instance type (per-core or per-GPU metrics). */
  public static boolean needsInstanceType(SageMakerScalingPolicySpec spec) {
    return spec.getTargetTracking().stream()
            .anyMatch(t -> MetricCatalog.needsInstanceType(t.getMetric()))
        || spec.getStepScaling().stream()
            .anyMatch(s -> MetricCatalog.needsInstanceType(s.getMetric()));
  }

  /** The scalable target a spec names; the spec's target must be valid. */
  public static TargetKey targetKey(SageMakerScalingPolicySpec spec) {
    return TargetKind.of(spec.getTarget()).key(spec.getTarget());
  }

  /**
   * The one entry: validates the spec once and, when it is valid, plans it from what the validation
   * worked out (the step-band split is not computed again).
   *
   * @param instanceType the variant's instance type, needed only when {@link #needsInstanceType}
   *     says so
   */
  public static Plan plan(
      SageMakerScalingPolicySpec spec, Owner owner, Optional<String> instanceType) {
    SpecValidator.Checked checked = SpecValidator.check(spec, owner);
    if (!checked.problems().isEmpty()) {
      return new Plan.Invalid(checked.problems());
    }
    return new Planner(spec, owner, instanceType).build(checked.stepSides());
  }

  private Plan build(Map<Integer, List<StepBands.SidePolicy>> stepSides) {
    ScalingTarget target = spec.getTarget();
    if (target.getVariantName() == null && target.getEndpointName() != null) {
      effective(
          "target",
          "spec.target.variantName",
          "AllTraffic",
          Origin.OPERATOR_DEFAULT,
          "the name SageMaker's tools give the variant of a single-variant endpoint");
    }
    for (int i = 0; i < spec.getTargetTracking().size(); i++) {
      TargetTrackingPolicy item = spec.getTargetTracking().get(i);
      try {
        policies.add(targetTracking("spec.targetTracking[" + i + "]", item));
      } catch (PlanningException e) {
        problems.add(
            new SpecProblem(
                "spec.targetTracking[" + i + "].metric", item.getMetric() + " " + e.getMessage()));
      }
    }
    for (int i = 0; i < spec.getStepScaling().size(); i++) {
      StepScalingPolicy item = spec.getStepScaling().get(i);
      try {
        stepScaling("spec.stepScaling[" + i + "]", item, stepSides.get(i));
      } catch (PlanningException e) {
        problems.add(
            new SpecProblem(
                "spec.stepScaling[" + i + "].metric", item.getMetric() + " " + e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      return new Plan.Invalid(problems);
    }
    if (Boolean.TRUE.equals(spec.getScaleFromZero())) {
      scaleFromZero(target);
    }
    List<ScheduledAction> schedules = new ArrayList<>();
    for (int i = 0; i < spec.getSchedules().size(); i++) {
      schedules.add(schedule("spec.schedules[" + i + "]", spec.getSchedules().get(i)));
    }
    SuspendSpec suspend = spec.getSuspend();
    Suspension suspension =
        suspend == null
            ? Suspension.NONE
            : new Suspension(suspend.isScaleIn(), suspend.isScaleOut(), suspend.isScheduled());
    ScalableTarget scalableTarget =
        new ScalableTarget(
            targetKey(spec), spec.getMinCapacity(), spec.getMaxCapacity(), suspension);
    return new Plan.Valid(
        new DesiredState(scalableTarget, policies, alarms, schedules, owner.tags()), effective);
  }

  private ScalingPolicy targetTracking(String path, TargetTrackingPolicy item)
      throws PlanningException {
    String name = owner.targetTrackingPolicy(item.getName());
    MetricSource metric =
        MetricCatalog.trackingSource(
            item.getMetric(),
            spec.getTarget(),
            item.getCustomMetric(),
            item.getMetricQueries(),
            instanceType);
    customStatistic(name, path, item.getCustomMetric());
    cooldown(name, path + ".scaleOutCooldownSeconds", item.getScaleOutCooldownSeconds());
    cooldown(name, path + ".scaleInCooldownSeconds", item.getScaleInCooldownSeconds());
    return new ScalingPolicy(
        name,
        new TargetTracking(
            item.getTargetValue(),
            metric,
            item.getScaleOutCooldownSeconds(),
            item.getScaleInCooldownSeconds(),
            Boolean.TRUE.equals(item.getDisableScaleIn())));
  }

  private void stepScaling(String path, StepScalingPolicy item, List<StepBands.SidePolicy> sides)
      throws PlanningException {
    AdjustmentType adjustment =
        item.getAdjustmentType() == null
            ? AdjustmentType.ChangeInCapacity
            : item.getAdjustmentType();
    AlarmSettings settings = item.getAlarm() == null ? new AlarmSettings() : item.getAlarm();
    String statistic = settings.getStatistic() == null ? null : settings.getStatistic().name();
    MetricSource metric =
        MetricCatalog.alarmSource(
            item.getMetric(), spec.getTarget(), item.getCustomMetric(), statistic, instanceType);
    String usual = MetricCatalog.usualStatistic(metric);
    String aggregation =
        item.getMetricAggregationType() != null
            ? item.getMetricAggregationType().name()
            : aggregationFor(usual);
    int period =
        settings.getPeriodSeconds() != null
            ? settings.getPeriodSeconds()
            : CDK_METRIC_PERIOD_SECONDS;
    int evaluations =
        settings.getEvaluationPeriods() != null
            ? settings.getEvaluationPeriods()
            : AlarmSettings.DEFAULT_EVALUATION_PERIODS;
    int datapoints =
        settings.getDatapointsToAlarm() != null ? settings.getDatapointsToAlarm() : evaluations;
    String missing =
        settings.getTreatMissingData() == null ? "missing" : settings.getTreatMissingData().name();

    for (StepBands.SidePolicy side : sides) {
      String name = owner.stepPolicy(item.getName(), side.side());
      if (item.getAdjustmentType() == null) {
        effective(
            name,
            path + ".adjustmentType",
            adjustment.name(),
            Origin.CDK_DEFAULT,
            "the CDK's StepScalingPolicy default");
      }
      if (item.getMetricAggregationType() == null) {
        effective(
            name,
            path + ".metricAggregationType",
            aggregation,
            Origin.CDK_DEFAULT,
            "the alarm statistic when it is Minimum or Maximum, otherwise Average, as the CDK's"
                + " StepScalingPolicy");
      }
      customStatistic(name, path, item.getCustomMetric());
      cooldown(name, path + ".cooldownSeconds", item.getCooldownSeconds());
      policies.add(
          new ScalingPolicy(
              name,
              new StepScaling(
                  adjustment.name(),
                  side.adjustments(),
                  item.getMinAdjustmentMagnitude(),
                  item.getCooldownSeconds(),
                  aggregation)));
      if (statistic == null) {
        effective(
            name,
            path + ".alarm.statistic",
            usual,
            Origin.DERIVED,
            "the statistic the metric is usually read with");
      }
      if (settings.getPeriodSeconds() == null) {
        effective(
            name,
            path + ".alarm.periodSeconds",
            period + " s",
            Origin.CDK_DEFAULT,
            "the period of a CDK cloudwatch.Metric when none is given (5 minutes)");
      }
      if (settings.getEvaluationPeriods() == null) {
        effective(
            name,
            path + ".alarm.evaluationPeriods",
            Integer.toString(evaluations),
            Origin.CDK_DEFAULT,
            "the CDK's StepScalingPolicy default");
      }
      if (settings.getDatapointsToAlarm() == null) {
        effective(
            name,
            path + ".alarm.datapointsToAlarm",
            Integer.toString(datapoints),
            Origin.AWS_DEFAULT,
            "CloudWatch alarms on every evaluated period when DatapointsToAlarm is unset; sent"
                + " explicitly with that value");
      }
      if (settings.getTreatMissingData() == null) {
        effective(
            name,
            path + ".alarm.treatMissingData",
            missing,
            Origin.AWS_DEFAULT,
            "CloudWatch's default; sent explicitly with that value");
      }
      alarms.add(
          new Alarm(
              name,
              name,
              owner.markedDescription(
                  (side.side() == StepBands.Side.LOWER ? "Lower" : "Upper")
                      + " threshold scaling alarm for step policy "
                      + item.getName()),
              metric,
              side.threshold(),
              side.side().comparisonOperator(),
              period,
              evaluations,
              datapoints,
              missing));
    }
  }

  private void customStatistic(String object, String path, CustomMetric custom) {
    if (custom != null && custom.getStatistic() == null) {
      effective(
          object,
          path + ".customMetric.statistic",
          "Average",
          Origin.CDK_DEFAULT,
          "the AWS CDK Metric's default statistic");
    }
  }

  /** Records where a cooldown comes from; unset stays unset, so the request leaves it out. */
  private void cooldown(String object, String field, Integer seconds) {
    if (seconds == null) {
      effective(
          object,
          field,
          "300 s",
          Origin.AWS_DEFAULT,
          "left out of the request; Application Auto Scaling applies 300 s to SageMaker targets. "
              + cooldownGuidance(spec.getModelType()));
    }
  }

  /** The seed article's model-type advice, shown where the user left a cooldown to AWS. */
  static String cooldownGuidance(ModelType type) {
    return switch (type) {
      case RealTime ->
          "RealTime: real-time traffic needs capacity quickly; a shorter scale-out cooldown (for"
              + " example 60 s) reacts faster, and the default scale-in keeps capacity through"
              + " short dips.";
      case Async ->
          "Async: queued work tolerates delay and should not flap; the seed article advises longer"
              + " cooldowns (for example scale-in 600 s).";
      case Batch ->
          "Batch: bursts come on a schedule; a longer scale-in cooldown (for example 600 s) keeps"
              + " capacity for the whole burst.";
    };
  }

  /**
   * The step policy and alarm AWS documents for leaving zero capacity: async endpoints watch
   * HasBacklogWithoutCapacity, inference components NoCapacityInvocationFailures.
   */
  private void scaleFromZero(ScalingTarget target) {
    String name = owner.scaleFromZeroPolicy();
    boolean component = target.getInferenceComponentName() != null;
    StepAdjustment addOne = new StepAdjustment(0.0, null, 1);
    effective(
        name,
        "spec.scaleFromZero",
        "true",
        Origin.DERIVED,
        "policy and alarm as the SageMaker developer guide documents for scaling out from zero");
    if (component) {
      policies.add(
          new ScalingPolicy(
              name, new StepScaling("ChangeInCapacity", List.of(addOne), null, 60, "Maximum")));
      alarms.add(
          new Alarm(
              name,
              name,
              owner.markedDescription(
                  "Scale the inference component out from zero copies when invocations fail for"
                      + " lack of capacity"),
              new CloudWatch(
                  MetricCatalog.SAGEMAKER_NAMESPACE,
                  "NoCapacityInvocationFailures",
                  List.of(
                      new Dimension("InferenceComponentName", target.getInferenceComponentName())),
                  "Sum",
                  null),
              1,
              "GreaterThanThreshold",
              60,
              1,
              1,
              "missing"));
    } else {
      policies.add(
          new ScalingPolicy(
              name, new StepScaling("ChangeInCapacity", List.of(addOne), null, 300, "Average")));
      alarms.add(
          new Alarm(
              name,
              name,
              owner.markedDescription(
                  "Scale the async endpoint out from zero instances when requests queue up"),
              new CloudWatch(
                  MetricCatalog.SAGEMAKER_NAMESPACE,
                  "HasBacklogWithoutCapacity",
                  List.of(new Dimension("EndpointName", target.getEndpointName())),
                  "Average",
                  null),
              1,
              "GreaterThanOrEqualToThreshold",
              60,
              2,
              2,
              "missing"));
    }
  }

  private ScheduledAction schedule(String path, ScheduleSpec item) {
    if (item.getTimezone() == null) {
      effective(
          owner.scheduledAction(item.getName()),
          path + ".timezone",
          "UTC",
          Origin.AWS_DEFAULT,
          "left out of the request; Application Auto Scaling reads the schedule in UTC");
    }
    return new ScheduledAction(
        owner.scheduledAction(item.getName()),
        item.getSchedule(),
        item.getTimezone(),
        item.getStartTime() == null ? null : OffsetDateTime.parse(item.getStartTime()).toInstant(),
        item.getEndTime() == null ? null : OffsetDateTime.parse(item.getEndTime()).toInstant(),
        item.getMinCapacity(),
        item.getMaxCapacity());
  }

  private void effective(String object, String field, String value, Origin origin, String note) {
    effective.add(new EffectiveValue(object, field, value, origin, note));
  }

  private static String aggregationFor(String statistic) {
    return switch (statistic) {
      case "Minimum", "Maximum" -> statistic;
      default -> "Average";
    };
  }
}
