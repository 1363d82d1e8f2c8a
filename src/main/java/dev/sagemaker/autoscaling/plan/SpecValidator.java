package dev.sagemaker.autoscaling.plan;

import dev.sagemaker.autoscaling.api.v1alpha1.AdjustmentType;
import dev.sagemaker.autoscaling.api.v1alpha1.AlarmSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricKind;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricQuery;
import dev.sagemaker.autoscaling.api.v1alpha1.ModelType;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingTarget;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduleSpec;
import dev.sagemaker.autoscaling.api.v1alpha1.SpecLimits;
import dev.sagemaker.autoscaling.api.v1alpha1.StepBand;
import dev.sagemaker.autoscaling.api.v1alpha1.StepScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.TargetTrackingPolicy;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a spec against every rule AWS enforces. The CRD's schema and CEL rules refuse most of
 * these at admission (both read {@link SpecLimits}); this class repeats them so that `plan` gives
 * the same answers offline, and adds what CEL cannot express (step-band geometry, name lengths
 * after derivation). The step-band split it works out is handed to the planner, which does not
 * repeat it.
 */
public final class SpecValidator {
  private static final Pattern SAGEMAKER_NAME = Pattern.compile(SpecLimits.SAGEMAKER_NAME_PATTERN);
  private static final Pattern ITEM_NAME = Pattern.compile(SpecLimits.ITEM_NAME_PATTERN);
  private static final Pattern SCHEDULE = Pattern.compile(SpecLimits.SCHEDULE_PATTERN);

  /** The longest suffix an item's AWS name gets ("_lower", "_upper"). */
  private static final int SIDE_SUFFIX_LENGTH = 1 + StepBands.Side.UPPER.suffix().length();

  /**
   * The outcome of a check.
   *
   * @param stepSides for each stepScaling item by index, its split into lower and upper policies
   *     (complete only when problems is empty)
   */
  record Checked(List<SpecProblem> problems, Map<Integer, List<StepBands.SidePolicy>> stepSides) {}

  private final List<SpecProblem> problems = new ArrayList<>();
  private final Map<Integer, List<StepBands.SidePolicy>> stepSides = new TreeMap<>();

  private SpecValidator() {}

  /**
   * The problems of a spec, for callers that must know whether it is valid before they can plan it
   * (the reconciler, before it reads the instance type). {@link Planner#plan} runs the same checks.
   */
  public static List<SpecProblem> validate(SageMakerScalingPolicySpec spec, Owner owner) {
    return check(spec, owner).problems();
  }

  static Checked check(SageMakerScalingPolicySpec spec, Owner owner) {
    SpecValidator v = new SpecValidator();
    v.checkSpec(spec, owner);
    return new Checked(List.copyOf(v.problems), Map.copyOf(v.stepSides));
  }

  private void checkSpec(SageMakerScalingPolicySpec spec, Owner owner) {
    if (spec == null) {
      problem("spec", "is required");
      return;
    }
    if (spec.getModelType() == null) {
      problem("spec.modelType", "is required: RealTime, Async or Batch");
    }
    checkTarget(spec.getTarget());
    checkCapacities(spec);
    if (spec.getTarget() == null || spec.getModelType() == null) {
      return;
    }
    TargetKind kind = TargetKind.of(spec.getTarget());
    int policies =
        spec.getTargetTracking().size()
            + 2 * spec.getStepScaling().size()
            + (Boolean.TRUE.equals(spec.getScaleFromZero()) ? 1 : 0);
    if (policies > SpecLimits.MAX_POLICIES_PER_TARGET) {
      problem(
          "spec",
          "at most "
              + SpecLimits.MAX_POLICIES_PER_TARGET
              + " scaling policies per scalable target (each stepScaling item counts as two), got "
              + policies);
    }
    if (spec.getSchedules().size() > SpecLimits.MAX_SCHEDULES) {
      problem(
          "spec.schedules",
          "at most " + SpecLimits.MAX_SCHEDULES + " items, got " + spec.getSchedules().size());
    }
    checkUnique("spec.targetTracking", spec.getTargetTracking(), TargetTrackingPolicy::getName);
    checkUnique("spec.stepScaling", spec.getStepScaling(), StepScalingPolicy::getName);
    checkUnique("spec.schedules", spec.getSchedules(), ScheduleSpec::getName);
    for (int i = 0; i < spec.getTargetTracking().size(); i++) {
      checkTargetTracking(
          "spec.targetTracking[" + i + "]",
          spec.getTargetTracking().get(i),
          kind,
          spec.getModelType(),
          owner);
    }
    for (int i = 0; i < spec.getStepScaling().size(); i++) {
      checkStepScaling(i, spec.getStepScaling().get(i), kind, spec.getModelType(), owner);
    }
    for (int i = 0; i < spec.getSchedules().size(); i++) {
      checkSchedule("spec.schedules[" + i + "]", spec.getSchedules().get(i), owner);
    }
    if (Boolean.TRUE.equals(spec.getScaleFromZero())) {
      if (spec.getModelType() != ModelType.Async && kind != TargetKind.INFERENCE_COMPONENT) {
        problem("spec.scaleFromZero", "is only for Async endpoints and inference components");
      } else if (owner.scaleFromZeroPolicy().length() > SpecLimits.MAX_AWS_NAME_LENGTH) {
        problem(
            "spec.scaleFromZero",
            "the AWS name derived for its policy and alarm, "
                + owner.scaleFromZeroPolicy()
                + ", is too long; shorten the resource or namespace name");
      }
    }
  }

  private void checkTarget(ScalingTarget target) {
    if (target == null) {
      problem("spec.target", "is required");
      return;
    }
    boolean endpoint = target.getEndpointName() != null;
    boolean component = target.getInferenceComponentName() != null;
    if (endpoint == component) {
      problem("spec.target", "set exactly one of endpointName or inferenceComponentName");
    }
    checkSageMakerName("spec.target.endpointName", target.getEndpointName());
    checkSageMakerName("spec.target.variantName", target.getVariantName());
    checkSageMakerName("spec.target.inferenceComponentName", target.getInferenceComponentName());
    if (component
        && (target.getVariantName() != null
            || (target.getCapacityUnit() != null
                && target.getCapacityUnit().name().equals("Copies") == false))) {
      problem("spec.target", "an inference component scales in Copies and takes no variantName");
    }
    if (endpoint
        && target.getCapacityUnit() != null
        && target.getCapacityUnit().name().equals("Copies")) {
      problem("spec.target.capacityUnit", "Copies is only for inferenceComponentName");
    }
  }

  private void checkSageMakerName(String field, String value) {
    if (value != null && !SAGEMAKER_NAME.matcher(value).matches()) {
      problem(
          field,
          "must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit;"
              + " got \""
              + printable(value)
              + "\"");
    }
  }

  private void checkCapacities(SageMakerScalingPolicySpec spec) {
    Integer min = spec.getMinCapacity();
    Integer max = spec.getMaxCapacity();
    if (min == null) {
      problem("spec.minCapacity", "is required");
    } else if (min < 0 || min > SpecLimits.MAX_CAPACITY) {
      problem("spec.minCapacity", "must be between 0 and " + SpecLimits.MAX_CAPACITY);
    }
    if (max == null) {
      problem("spec.maxCapacity", "is required");
    } else if (max < 0 || max > SpecLimits.MAX_CAPACITY) {
      problem("spec.maxCapacity", "must be between 0 and " + SpecLimits.MAX_CAPACITY);
    }
    if (min != null && max != null && min > max) {
      problem("spec.minCapacity", "must be less than or equal to spec.maxCapacity");
    }
    if (min != null
        && min < 1
        && spec.getModelType() != ModelType.Async
        && (spec.getTarget() == null || spec.getTarget().getInferenceComponentName() == null)) {
      problem(
          "spec.minCapacity",
          "must be at least 1: only Async endpoints and inference components can scale to zero");
    }
    if (min != null
        && min == 0
        && spec.getTarget() != null
        && spec.getTarget().getInferenceComponentName() != null
        && !Boolean.TRUE.equals(spec.getScaleFromZero())) {
      problem(
          "spec.scaleFromZero", SageMakerScalingPolicySpec.COMPONENT_AT_ZERO_NEEDS_SCALE_FROM_ZERO);
    }
  }

  private void checkTargetTracking(
      String path, TargetTrackingPolicy item, TargetKind kind, ModelType model, Owner owner) {
    checkItemName(path, item.getName(), owner.targetTrackingPolicy(nonNull(item.getName())));
    if (item.getMetric() == null) {
      problem(path + ".metric", "is required");
      return;
    }
    MetricCatalog.unsupported(item.getMetric(), kind, model, false)
        .ifPresent(m -> problem(path + ".metric", m));
    if (item.getTargetValue() == null
        || !(item.getTargetValue() > 0)
        || item.getTargetValue() > SpecLimits.MAX_METRIC_VALUE) {
      problem(
          path + ".targetValue",
          "must be a number greater than 0 and at most " + SpecLimits.MAX_METRIC_VALUE);
    }
    checkCooldown(path + ".scaleOutCooldownSeconds", item.getScaleOutCooldownSeconds());
    checkCooldown(path + ".scaleInCooldownSeconds", item.getScaleInCooldownSeconds());
    boolean custom = item.getMetric() == MetricKind.Custom;
    boolean hasMetric = item.getCustomMetric() != null;
    boolean hasQueries = item.getMetricQueries() != null;
    if (custom && hasMetric == hasQueries) {
      problem(path, "metric Custom needs exactly one of customMetric or metricQueries");
    } else if (!custom && (hasMetric || hasQueries)) {
      problem(path, "only metric Custom takes customMetric or metricQueries");
    }
    if (hasQueries) {
      List<MetricQuery> queries = item.getMetricQueries();
      long returning = queries.stream().filter(q -> Boolean.TRUE.equals(q.getReturnData())).count();
      if (returning != 1) {
        problem(path + ".metricQueries", "exactly one query must have returnData: true");
      }
      for (int i = 0; i < queries.size(); i++) {
        MetricQuery q = queries.get(i);
        if ((q.getExpression() == null) == (q.getMetric() == null)) {
          problem(path + ".metricQueries[" + i + "]", "set exactly one of expression or metric");
        }
      }
      checkUnique(path + ".metricQueries", queries, MetricQuery::getId);
    }
  }

  private void checkStepScaling(
      int index, StepScalingPolicy item, TargetKind kind, ModelType model, Owner owner) {
    String path = "spec.stepScaling[" + index + "]";
    // The base name, like the other items': checkItemName adds the room for the side suffix.
    checkItemName(path, item.getName(), owner.prefix() + nonNull(item.getName()));
    if (item.getMetric() == null) {
      problem(path + ".metric", "is required");
      return;
    }
    MetricCatalog.unsupported(item.getMetric(), kind, model, true)
        .ifPresent(m -> problem(path + ".metric", m));
    if ((item.getMetric() == MetricKind.Custom) != (item.getCustomMetric() != null)) {
      problem(path + ".customMetric", "metric Custom needs customMetric; other metrics take none");
    }
    checkCooldown(path + ".cooldownSeconds", item.getCooldownSeconds());
    AdjustmentType adjustment =
        item.getAdjustmentType() == null
            ? AdjustmentType.ChangeInCapacity
            : item.getAdjustmentType();
    if (item.getMinAdjustmentMagnitude() != null
        && adjustment != AdjustmentType.PercentChangeInCapacity) {
      problem(
          path + ".minAdjustmentMagnitude",
          "applies only to adjustmentType PercentChangeInCapacity");
    } else if (item.getMinAdjustmentMagnitude() != null
        && (item.getMinAdjustmentMagnitude() < 1
            || item.getMinAdjustmentMagnitude() > SpecLimits.MAX_STEP_CHANGE)) {
      problem(
          path + ".minAdjustmentMagnitude", "must be between 1 and " + SpecLimits.MAX_STEP_CHANGE);
    }
    List<StepBand> steps = item.getSteps() == null ? List.of() : item.getSteps();
    if (steps.size() < SpecLimits.MIN_STEPS || steps.size() > SpecLimits.MAX_STEPS) {
      problem(
          path + ".steps",
          "needs "
              + SpecLimits.MIN_STEPS
              + " to "
              + SpecLimits.MAX_STEPS
              + " steps, got "
              + steps.size());
    } else {
      int before = problems.size();
      for (int i = 0; i < steps.size(); i++) {
        StepBand band = steps.get(i);
        checkBound(path + ".steps[" + i + "].lower", band.getLower());
        checkBound(path + ".steps[" + i + "].upper", band.getUpper());
        if (band.getChange() == null) {
          problem(path + ".steps[" + i + "].change", "is required");
        } else if (Math.abs((long) band.getChange()) > SpecLimits.MAX_STEP_CHANGE) {
          problem(
              path + ".steps[" + i + "].change",
              "must be between -"
                  + SpecLimits.MAX_STEP_CHANGE
                  + " and "
                  + SpecLimits.MAX_STEP_CHANGE);
        } else if (adjustment == AdjustmentType.ExactCapacity && band.getChange() < 0) {
          problem(
              path + ".steps[" + i + "].change",
              "must not be negative with adjustmentType ExactCapacity");
        }
      }
      // The band geometry is checked only when every step has its change.
      if (problems.size() == before) {
        try {
          List<StepBands.SidePolicy> sides =
              StepBands.split(
                  StepBands.normalize(
                      StepBands.of(steps), adjustment == AdjustmentType.ExactCapacity));
          if (sides.isEmpty()) {
            problem(path + ".steps", "no step changes capacity");
          }
          stepSides.put(index, sides);
        } catch (StepBands.InvalidBandsException e) {
          problem(path + ".steps", e.getMessage());
        }
      }
    }
    checkAlarm(path + ".alarm", item.getAlarm());
  }

  private void checkBound(String field, Double value) {
    if (value != null && !(value >= 0 && value <= SpecLimits.MAX_METRIC_VALUE)) {
      problem(field, "must be between 0 and " + SpecLimits.MAX_METRIC_VALUE);
    }
  }

  private void checkAlarm(String path, AlarmSettings alarm) {
    if (alarm == null) {
      return;
    }
    int period =
        alarm.getPeriodSeconds() == null
            ? AlarmSettings.DEFAULT_PERIOD_SECONDS
            : alarm.getPeriodSeconds();
    int evaluations =
        alarm.getEvaluationPeriods() == null
            ? AlarmSettings.DEFAULT_EVALUATION_PERIODS
            : alarm.getEvaluationPeriods();
    if (!(period == 10 || period == 20 || period == 30 || (period > 0 && period % 60 == 0))
        || period > SpecLimits.MAX_PERIOD_SECONDS) {
      problem(
          path + ".periodSeconds",
          "must be 10, 20, 30 or a multiple of 60, at most " + SpecLimits.MAX_PERIOD_SECONDS);
    }
    long window =
        period < SpecLimits.LONG_PERIOD_SECONDS
            ? SpecLimits.MAX_SHORT_PERIOD_WINDOW_SECONDS
            : SpecLimits.MAX_EVALUATION_WINDOW_SECONDS;
    if (evaluations < 1) {
      problem(path + ".evaluationPeriods", "must be at least 1");
    } else if ((long) period * evaluations > window) {
      problem(
          path + ".evaluationPeriods",
          AlarmSettings.WINDOW_MESSAGE + "; got " + (long) period * evaluations);
    }
    if (alarm.getDatapointsToAlarm() != null
        && (alarm.getDatapointsToAlarm() < 1 || alarm.getDatapointsToAlarm() > evaluations)) {
      problem(path + ".datapointsToAlarm", "must be between 1 and evaluationPeriods");
    }
  }

  private void checkSchedule(String path, ScheduleSpec item, Owner owner) {
    checkItemName(path, item.getName(), owner.scheduledAction(nonNull(item.getName())));
    if (item.getSchedule() == null || !SCHEDULE.matcher(item.getSchedule()).matches()) {
      problem(
          path + ".schedule",
          "must be at(yyyy-mm-ddThh:mm:ss), rate(N minutes|hours|days, N from 1 to 999999) or"
              + " cron(6 fields); got \""
              + printable(String.valueOf(item.getSchedule()))
              + "\"");
    }
    if (item.getMinCapacity() == null && item.getMaxCapacity() == null) {
      problem(path, "set minCapacity, maxCapacity or both");
    }
    if (item.getMinCapacity() != null
        && item.getMaxCapacity() != null
        && item.getMinCapacity() > item.getMaxCapacity()) {
      problem(path + ".minCapacity", "must be less than or equal to maxCapacity");
    }
    OffsetDateTime start = time(path + ".startTime", item.getStartTime());
    OffsetDateTime end = time(path + ".endTime", item.getEndTime());
    if (start != null && end != null && !start.isBefore(end)) {
      problem(path + ".endTime", "must be after startTime");
    }
  }

  private OffsetDateTime time(String field, String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      problem(field, "must be an RFC 3339 time such as 2026-01-31T20:00:00Z");
      return null;
    }
  }

  private void checkItemName(String path, String name, String awsName) {
    if (name == null
        || !ITEM_NAME.matcher(name).matches()
        || name.length() > SpecLimits.MAX_ITEM_NAME_LENGTH) {
      problem(
          path + ".name",
          "must be 1 to "
              + SpecLimits.MAX_ITEM_NAME_LENGTH
              + " lowercase letters, digits and hyphens, starting and ending with a letter or"
              + " digit");
    } else if (awsName.length() + SIDE_SUFFIX_LENGTH > SpecLimits.MAX_AWS_NAME_LENGTH) {
      problem(
          path + ".name",
          "the AWS name derived from it, "
              + awsName
              + ", is too long; shorten the item, resource or namespace name");
    }
  }

  private void checkCooldown(String field, Integer seconds) {
    if (seconds != null && (seconds < 0 || seconds > SpecLimits.MAX_COOLDOWN_SECONDS)) {
      problem(field, "must be between 0 and " + SpecLimits.MAX_COOLDOWN_SECONDS + " seconds");
    }
  }

  private <T> void checkUnique(String field, List<T> items, Function<T, String> name) {
    Set<String> seen = new HashSet<>();
    for (T item : items) {
      String n = name.apply(item);
      if (n != null && !seen.add(n)) {
        problem(field, "item names must be unique; \"" + n + "\" appears more than once");
      }
    }
  }

  private void problem(String field, String message) {
    problems.add(new SpecProblem(field, message));
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  /** Control characters in a message would garble logs and status; show them escaped. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    value
        .codePoints()
        .limit(100)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return value.length() > 100 ? out + "…" : out.toString();
  }
}
