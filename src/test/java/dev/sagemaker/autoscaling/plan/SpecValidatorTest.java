package dev.sagemaker.autoscaling.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.AdjustmentType;
import dev.sagemaker.autoscaling.api.v1alpha1.AlarmSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.CapacityUnit;
import dev.sagemaker.autoscaling.api.v1alpha1.CustomMetric;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricKind;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricQuery;
import dev.sagemaker.autoscaling.api.v1alpha1.ModelType;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduleSpec;
import dev.sagemaker.autoscaling.api.v1alpha1.Statistic;
import dev.sagemaker.autoscaling.api.v1alpha1.StepScalingPolicy;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each broken spec is reported on the field the user must fix, with a message that says why. */
class SpecValidatorTest {
  private static final Owner OWNER = new Owner("test", "ml", "recommender");

  private static SageMakerScalingPolicySpec seed() {
    try {
      return PlannerTest.seedSpec();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static StepScalingPolicy steps(SageMakerScalingPolicySpec spec) {
    return spec.getStepScaling().get(0);
  }

  private static AlarmSettings alarm(SageMakerScalingPolicySpec spec) {
    AlarmSettings alarm = new AlarmSettings();
    steps(spec).setAlarm(alarm);
    return alarm;
  }

  private static ScheduleSpec schedule(SageMakerScalingPolicySpec spec) {
    ScheduleSpec schedule = new ScheduleSpec();
    schedule.setName("night");
    schedule.setSchedule("cron(0 20 * * ? *)");
    schedule.setMaxCapacity(1);
    spec.setSchedules(List.of(schedule));
    return schedule;
  }

  private static MetricQuery query(String id, String expression, Boolean returnData) {
    MetricQuery query = new MetricQuery();
    query.setId(id);
    query.setExpression(expression);
    query.setReturnData(returnData);
    if (expression == null) {
      CustomMetric metric = new CustomMetric();
      metric.setNamespace("AWS/SageMaker");
      metric.setMetricName("Invocations");
      metric.setStatistic(Statistic.Sum);
      query.setMetric(metric);
    }
    return query;
  }

  private static Arguments invalid(
      String description,
      Consumer<SageMakerScalingPolicySpec> breakIt,
      String field,
      String phrase) {
    return Arguments.of(Named.of(description, breakIt), field, phrase);
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        invalid(
            "minCapacity above maxCapacity",
            s -> s.setMinCapacity(4),
            "spec.minCapacity",
            "less than or equal to spec.maxCapacity"),
        invalid(
            "negative minCapacity",
            s -> s.setMinCapacity(-1),
            "spec.minCapacity",
            "between 0 and 100000"),
        invalid(
            "negative maxCapacity",
            s -> s.setMaxCapacity(-2),
            "spec.maxCapacity",
            "between 0 and 100000"),
        invalid(
            "RealTime scaled to zero",
            s -> s.setMinCapacity(0),
            "spec.minCapacity",
            "only Async endpoints and inference components can scale to zero"),
        invalid(
            "endpoint name with an underscore",
            s -> s.getTarget().setEndpointName("recommender_prod"),
            "spec.target.endpointName",
            "1 to 63 letters, digits and hyphens"),
        invalid(
            "endpoint name of 64 characters",
            s -> s.getTarget().setEndpointName("e".repeat(64)),
            "spec.target.endpointName",
            "1 to 63 letters, digits and hyphens"),
        invalid(
            "endpoint and inference component",
            s -> s.getTarget().setInferenceComponentName("llama-ic"),
            "spec.target",
            "exactly one of endpointName or inferenceComponentName"),
        invalid(
            "neither endpoint nor inference component",
            s -> s.getTarget().setEndpointName(null),
            "spec.target",
            "exactly one of endpointName or inferenceComponentName"),
        invalid(
            "empty item name",
            s -> s.getTargetTracking().get(0).setName(""),
            "spec.targetTracking[0].name",
            "1 to 63 lowercase letters"),
        invalid(
            "upper-case item name",
            s -> s.getTargetTracking().get(1).setName("CPU"),
            "spec.targetTracking[1].name",
            "1 to 63 lowercase letters"),
        invalid(
            "duplicate target-tracking names",
            s -> s.getTargetTracking().get(2).setName("requests"),
            "spec.targetTracking",
            "\"requests\" appears more than once"),
        invalid(
            "duplicate step names",
            s -> s.getStepScaling().add(s.getStepScaling().get(0)),
            "spec.stepScaling",
            "\"cpu-steps\" appears more than once"),
        invalid(
            "BacklogSizePerInstance on RealTime",
            s -> s.getTargetTracking().get(0).setMetric(MetricKind.BacklogSizePerInstance),
            "spec.targetTracking[0].metric",
            "only for modelType Async"),
        invalid(
            "target tracking on Custom without a metric",
            s -> s.getTargetTracking().get(0).setMetric(MetricKind.Custom),
            "spec.targetTracking[0]",
            "exactly one of customMetric or metricQueries"),
        invalid(
            "step scaling on Custom without a metric",
            s -> steps(s).setMetric(MetricKind.Custom),
            "spec.stepScaling[0].customMetric",
            "metric Custom needs customMetric"),
        invalid(
            "two metric queries returning data",
            s -> {
              s.getTargetTracking().get(0).setMetric(MetricKind.Custom);
              s.getTargetTracking()
                  .get(0)
                  .setMetricQueries(List.of(query("m1", null, true), query("e1", "m1 / 2", true)));
            },
            "spec.targetTracking[0].metricQueries",
            "exactly one query must have returnData: true"),
        invalid(
            "alarm period of 45 seconds",
            s -> alarm(s).setPeriodSeconds(45),
            "spec.stepScaling[0].alarm.periodSeconds",
            "10, 20, 30 or a multiple of 60"),
        invalid(
            "minute periods looking back more than a day",
            s -> {
              AlarmSettings alarm = alarm(s);
              alarm.setPeriodSeconds(60);
              alarm.setEvaluationPeriods(1441);
            },
            "spec.stepScaling[0].alarm.evaluationPeriods",
            "must not exceed 86400 (one day) for periods under an hour"),
        invalid(
            "unset period (300 s) looking back more than a day",
            s -> alarm(s).setEvaluationPeriods(289),
            "spec.stepScaling[0].alarm.evaluationPeriods",
            "got 86700"),
        invalid(
            "hourly periods looking back more than seven days",
            s -> {
              AlarmSettings alarm = alarm(s);
              alarm.setPeriodSeconds(3600);
              alarm.setEvaluationPeriods(169);
            },
            "spec.stepScaling[0].alarm.evaluationPeriods",
            "604800 (seven days) for periods of an hour or more"),
        invalid(
            "inference component at zero without scaleFromZero",
            s -> {
              s.getTarget().setEndpointName(null);
              s.getTarget().setVariantName(null);
              s.getTarget().setInferenceComponentName("llama-ic");
              s.setMinCapacity(0);
              s.setTargetTracking(List.of());
              s.setStepScaling(List.of());
            },
            "spec.scaleFromZero",
            "never leaves zero copies without scaleFromZero: true"),
        invalid(
            "step change beyond the bound",
            s -> steps(s).getSteps().get(3).setChange(100_001),
            "spec.stepScaling[0].steps[3].change",
            "between -100000 and 100000"),
        invalid(
            "negative step bound",
            s -> steps(s).getSteps().get(0).setUpper(-5.0),
            "spec.stepScaling[0].steps[0].upper",
            "between 0 and"),
        invalid(
            "minAdjustmentMagnitude beyond the bound",
            s -> {
              steps(s).setAdjustmentType(AdjustmentType.PercentChangeInCapacity);
              steps(s).setMinAdjustmentMagnitude(100_001);
            },
            "spec.stepScaling[0].minAdjustmentMagnitude",
            "between 1 and 100000"),
        invalid(
            "more datapoints than evaluation periods",
            s -> {
              AlarmSettings alarm = alarm(s);
              alarm.setEvaluationPeriods(2);
              alarm.setDatapointsToAlarm(3);
            },
            "spec.stepScaling[0].alarm.datapointsToAlarm",
            "between 1 and evaluationPeriods"),
        invalid(
            "cron with four fields",
            s -> schedule(s).setSchedule("cron(0 20 * *)"),
            "spec.schedules[0].schedule",
            "cron(6 fields); got \"cron(0 20 * *)\""),
        invalid(
            "schedule ending before it starts",
            s -> {
              ScheduleSpec schedule = schedule(s);
              schedule.setStartTime("2026-06-01T00:00:00Z");
              schedule.setEndTime("2026-05-31T23:59:59Z");
            },
            "spec.schedules[0].endTime",
            "must be after startTime"),
        invalid(
            "schedule time that is not RFC 3339",
            s -> schedule(s).setStartTime("tomorrow"),
            "spec.schedules[0].startTime",
            "RFC 3339"),
        invalid(
            "schedule without capacities",
            s -> schedule(s).setMaxCapacity(null),
            "spec.schedules[0]",
            "set minCapacity, maxCapacity or both"),
        invalid(
            "scale from zero on RealTime",
            s -> s.setScaleFromZero(true),
            "spec.scaleFromZero",
            "only for Async endpoints and inference components"),
        invalid(
            "negative ExactCapacity",
            s -> {
              steps(s).setAdjustmentType(AdjustmentType.ExactCapacity);
              steps(s).getSteps().get(0).setChange(-1);
            },
            "spec.stepScaling[0].steps[0].change",
            "must not be negative"),
        invalid(
            "minAdjustmentMagnitude without percent",
            s -> steps(s).setMinAdjustmentMagnitude(2),
            "spec.stepScaling[0].minAdjustmentMagnitude",
            "only to adjustmentType PercentChangeInCapacity"),
        invalid(
            "overlapping steps",
            s -> steps(s).getSteps().get(2).setLower(50.0),
            "spec.stepScaling[0].steps",
            "overlap"),
        invalid(
            "a single step",
            s -> steps(s).setSteps(List.of(steps(s).getSteps().get(0))),
            "spec.stepScaling[0].steps",
            "needs 2 to 40 steps, got 1"),
        invalid(
            "steps that never change capacity",
            s -> steps(s).getSteps().forEach(b -> b.setChange(0)),
            "spec.stepScaling[0].steps",
            "no step changes capacity"),
        invalid(
            "provisioned concurrency on step scaling",
            s -> {
              s.getTarget().setCapacityUnit(CapacityUnit.ProvisionedConcurrency);
              s.setTargetTracking(List.of());
            },
            "spec.stepScaling[0].metric",
            "provisioned concurrency scales only on ProvisionedConcurrencyUtilization"),
        invalid(
            "negative cooldown",
            s -> s.getTargetTracking().get(0).setScaleInCooldownSeconds(-1),
            "spec.targetTracking[0].scaleInCooldownSeconds",
            "between 0 and 86400"),
        invalid(
            "zero target value",
            s -> s.getTargetTracking().get(0).setTargetValue(0.0),
            "spec.targetTracking[0].targetValue",
            "greater than 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void invalidSpecIsReportedOnTheFieldToFix(
      Consumer<SageMakerScalingPolicySpec> breakIt, String field, String phrase) {
    SageMakerScalingPolicySpec spec = seed();
    breakIt.accept(spec);

    assertThat(SpecValidator.validate(spec, OWNER))
        .anySatisfy(
            problem -> {
              assertThat(problem.field()).isEqualTo(field);
              assertThat(problem.message()).contains(phrase);
            });
  }

  @Test
  void theSeedExampleIsValid() {
    assertThat(SpecValidator.validate(seed(), OWNER)).isEmpty();
  }

  @Test
  void asyncAndInferenceComponentsMayScaleToZero() {
    SageMakerScalingPolicySpec async = seed();
    async.setModelType(ModelType.Async);
    async.setMinCapacity(0);
    async.setScaleFromZero(true);
    assertThat(SpecValidator.validate(async, OWNER)).isEmpty();

    SageMakerScalingPolicySpec component =
        PlannerTest.spec(
            """
            modelType: RealTime
            target: {inferenceComponentName: llama-ic}
            minCapacity: 0
            maxCapacity: 4
            scaleFromZero: true
            targetTracking:
              - {name: invocations, metric: InvocationsPerCopy, targetValue: 10}
            """);
    assertThat(SpecValidator.validate(component, OWNER)).isEmpty();
  }

  @Test
  void controlCharactersInANameAreShownEscaped() {
    SageMakerScalingPolicySpec spec = seed();
    spec.getTarget().setEndpointName("bad\u0007name\n");

    assertThat(SpecValidator.validate(spec, OWNER))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.field()).isEqualTo("spec.target.endpointName");
              assertThat(problem.message())
                  .contains("\"bad\\u0007name\\u000a\"")
                  .doesNotContain("\u0007")
                  .doesNotContain("\n");
            });
  }

  @Test
  void anItemWhoseDerivedAwsNameIsTooLongIsRefused() {
    // smsp_test_ml_<200 characters>_ is 214 characters; with a 50-character item the name is 264.
    Owner longOwner = new Owner("test", "ml", "r".repeat(200));
    SageMakerScalingPolicySpec spec = seed();
    spec.getTargetTracking().get(0).setName("a".repeat(50));

    assertThat(SpecValidator.validate(spec, longOwner))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.field()).isEqualTo("spec.targetTracking[0].name");
              assertThat(problem.message()).contains("is too long").contains("shorten");
            });
  }

  /**
   * An owner whose prefix plus "cpu-steps_upper", the longest name the seed derives, is total
   * characters long.
   */
  private static Owner ownerForLongestStepName(int total) {
    int name = total - "smsp_test_ml__".length() - "cpu-steps_upper".length();
    return new Owner("test", "ml", "r".repeat(name));
  }

  @Test
  void stepPolicyNamesOfExactly255CharactersAreAccepted() throws Exception {
    Owner owner = ownerForLongestStepName(255);
    assertThat(owner.stepPolicy("cpu-steps", StepBands.Side.UPPER)).hasSize(255);

    assertThat(SpecValidator.validate(seed(), owner)).isEmpty();
    assertThat(Planner.plan(seed(), owner, Optional.empty()).desiredOrThrow().alarms())
        .allSatisfy(a -> assertThat(a.name().length()).isLessThanOrEqualTo(Owner.MAX_NAME_LENGTH));
  }

  @Test
  void stepPolicyNamesOf256CharactersAreRefused() {
    assertThat(SpecValidator.validate(seed(), ownerForLongestStepName(256)))
        .singleElement()
        .satisfies(problem -> assertThat(problem.field()).isEqualTo("spec.stepScaling[0].name"));
  }

  @Test
  void theScaleFromZeroPolicyNameIsCheckedToo() {
    // The prefix is 254 characters: every item would be refused, so there are none.
    Owner owner = new Owner("test", "ml", "r".repeat(240));
    SageMakerScalingPolicySpec spec =
        PlannerTest.spec(
            """
            modelType: Async
            target: {endpointName: async-ep}
            minCapacity: 0
            maxCapacity: 4
            scaleFromZero: true
            """);
    assertThat(owner.scaleFromZeroPolicy().length()).isGreaterThan(Owner.MAX_NAME_LENGTH);

    assertThat(SpecValidator.validate(spec, owner))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.field()).isEqualTo("spec.scaleFromZero");
              assertThat(problem.message()).contains("too long");
            });
  }
}
