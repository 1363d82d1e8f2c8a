package dev.sagemaker.autoscaling.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sagemaker.autoscaling.api.v1alpha1.MetricKind;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.plan.MetricSource.CloudWatch;
import dev.sagemaker.autoscaling.plan.MetricSource.Dimension;
import dev.sagemaker.autoscaling.plan.MetricSource.MetricMath;
import dev.sagemaker.autoscaling.plan.MetricSource.Predefined;
import dev.sagemaker.autoscaling.plan.MetricSource.Query;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepAdjustment;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepScaling;
import dev.sagemaker.autoscaling.plan.PolicyConfig.TargetTracking;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** What AWS objects a spec turns into: names, metrics, defaults and the special targets. */
class PlannerTest {
  private static final Owner OWNER = new Owner("test", "ml", "recommender");
  private static final String P = "smsp_test_ml_recommender_";
  private static final List<Dimension> SEED_VARIANT =
      List.of(
          new Dimension("EndpointName", "recommender-prod"), new Dimension("VariantName", "prod"));
  private static final CloudWatch SEED_CPU =
      new CloudWatch("/aws/sagemaker/Endpoints", "CPUUtilization", SEED_VARIANT, "Average", null);

  static SageMakerScalingPolicySpec spec(String specYaml) {
    String document =
        "apiVersion: autoscaling.sagemaker.dev/v1alpha1\nkind: SageMakerScalingPolicy\n"
            + "metadata:\n  name: recommender\n  namespace: ml\nspec:\n"
            + specYaml.indent(2);
    return Serialization.unmarshal(document, SageMakerScalingPolicy.class).getSpec();
  }

  static SageMakerScalingPolicySpec seedSpec() throws Exception {
    return Serialization.unmarshal(
            Files.readString(Path.of("examples/realtime-seed.yaml")), SageMakerScalingPolicy.class)
        .getSpec();
  }

  private static DesiredState plan(SageMakerScalingPolicySpec spec) throws InvalidSpecException {
    return Planner.plan(spec, OWNER, Optional.empty()).desiredOrThrow();
  }

  private static ScalingPolicy policy(DesiredState desired, String name) {
    return desired.policies().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no policy " + name + " in " + desired.policies()));
  }

  private static List<SpecProblem> refusal(
      SageMakerScalingPolicySpec spec, Optional<String> instanceType) {
    Plan plan = Planner.plan(spec, OWNER, instanceType);
    assertThat(plan).as("the spec is refused").isInstanceOf(Plan.Invalid.class);
    return ((Plan.Invalid) plan).problems();
  }

  // ---------------------------------------------------------------- the seed example

  @Test
  void seedExamplePlansThreeTargetTrackingPoliciesAndTwoStepPolicies() throws Exception {
    DesiredState desired = plan(seedSpec());

    assertThat(desired.policies())
        .extracting(ScalingPolicy::name)
        .containsExactly(
            P + "requests", P + "cpu", P + "memory", P + "cpu-steps_lower", P + "cpu-steps_upper");
    assertThat(desired.policies().get(0).config())
        .isEqualTo(
            new TargetTracking(
                1000, new Predefined("SageMakerVariantInvocationsPerInstance"), null, null, false));
    assertThat(desired.policies().get(1).config())
        .isEqualTo(new TargetTracking(70, SEED_CPU, null, null, false));
    assertThat(desired.policies().get(2).config())
        .isEqualTo(
            new TargetTracking(
                80,
                new CloudWatch(
                    "/aws/sagemaker/Endpoints", "MemoryUtilization", SEED_VARIANT, "Average", null),
                null,
                null,
                false));
  }

  @Test
  void seedStepPoliciesLeaveTheCooldownToAwsOnBothSides() throws Exception {
    DesiredState desired = plan(seedSpec());

    assertThat(policy(desired, P + "cpu-steps_lower").config())
        .isEqualTo(
            new StepScaling(
                "ChangeInCapacity",
                List.of(new StepAdjustment(null, 0.0, -1)),
                null,
                null,
                "Average"));
    assertThat(policy(desired, P + "cpu-steps_upper").config())
        .isEqualTo(
            new StepScaling(
                "ChangeInCapacity",
                List.of(new StepAdjustment(0.0, 30.0, 1), new StepAdjustment(30.0, null, 2)),
                null,
                null,
                "Average"));
  }

  @Test
  void seedStepPoliciesEachGetOneAlarmNamedLikeThePolicy() throws Exception {
    DesiredState desired = plan(seedSpec());

    assertThat(desired.alarms())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("description")
        .containsExactly(
            new Alarm(
                P + "cpu-steps_lower",
                P + "cpu-steps_lower",
                "",
                SEED_CPU,
                30,
                "LessThanOrEqualToThreshold",
                300,
                1,
                1,
                "missing"),
            new Alarm(
                P + "cpu-steps_upper",
                P + "cpu-steps_upper",
                "",
                SEED_CPU,
                70,
                "GreaterThanOrEqualToThreshold",
                300,
                1,
                1,
                "missing"));
    assertThat(desired.alarms().get(0).description())
        .contains("Lower threshold")
        .contains("test/ml/recommender");
    assertThat(desired.alarms().get(1).description()).contains("Upper threshold");
  }

  @Test
  void seedTargetIsTheVariantBetweenOneAndThreeInstancesWithoutSuspensionTaggedWithTheOwner()
      throws Exception {
    DesiredState desired = plan(seedSpec());

    assertThat(desired.target())
        .isEqualTo(
            new ScalableTarget(
                new TargetKey(
                    "endpoint/recommender-prod/variant/prod",
                    "sagemaker:variant:DesiredInstanceCount"),
                1,
                3,
                Suspension.NONE));
    assertThat(desired.scheduledActions()).isEmpty();
    assertThat(desired.tags())
        .isEqualTo(Map.of("autoscaling.sagemaker.dev/owner", "test/ml/recommender"));
  }

  // ---------------------------------------------------------------- unset means what AWS and the
  // CDK mean

  @ParameterizedTest
  @CsvSource({"RealTime, shorter scale-out", "Async, longer cooldowns", "Batch, longer scale-in"})
  void unsetCooldownsAreLeftToAwsWhateverTheModelTypeWithItsGuidanceExplained(
      String modelType, String guidance) {
    Plan plan =
        Planner.plan(
            spec(
                """
                modelType: %s
                target: {endpointName: ep}
                minCapacity: 1
                maxCapacity: 4
                targetTracking:
                  - {name: cpu, metric: CPUUtilization, targetValue: 60}
                stepScaling:
                  - name: steps
                    metric: CPUUtilization
                    steps: [{upper: 20, change: -1}, {lower: 80, change: 1}]
                """
                    .formatted(modelType)),
            OWNER,
            Optional.empty());

    DesiredState desired = ((Plan.Valid) plan).desired();
    TargetTracking tracking = (TargetTracking) policy(desired, P + "cpu").config();
    assertThat(tracking.scaleOutCooldown()).isNull();
    assertThat(tracking.scaleInCooldown()).isNull();
    assertThat(((StepScaling) policy(desired, P + "steps_lower").config()).cooldown()).isNull();
    assertThat(((StepScaling) policy(desired, P + "steps_upper").config()).cooldown()).isNull();
    assertThat(((Plan.Valid) plan).effectiveValues())
        .filteredOn(
            v -> v.field().endsWith("CooldownSeconds") || v.field().endsWith("cooldownSeconds"))
        .hasSize(4)
        .allSatisfy(
            v -> {
              assertThat(v.origin()).isEqualTo(EffectiveValue.Origin.AWS_DEFAULT);
              assertThat(v.value()).isEqualTo("300 s");
              assertThat(v.note()).contains(modelType + ":").contains(guidance);
            });
  }

  @Test
  void valuesTheSpecWritesAreNotListedAsDefaults() {
    Plan plan =
        Planner.plan(
            spec(
                """
                modelType: RealTime
                target: {endpointName: ep, variantName: v1}
                minCapacity: 1
                maxCapacity: 4
                targetTracking:
                  - name: queue
                    metric: Custom
                    targetValue: 10
                    scaleOutCooldownSeconds: 60
                    scaleInCooldownSeconds: 600
                    customMetric: {namespace: App, metricName: Depth}
                """),
            OWNER,
            Optional.empty());

    assertThat(((Plan.Valid) plan).effectiveValues())
        .extracting(EffectiveValue::field, EffectiveValue::value, EffectiveValue::origin)
        .containsExactly(
            tuple(
                "spec.targetTracking[0].customMetric.statistic",
                "Average",
                EffectiveValue.Origin.CDK_DEFAULT));
  }

  @Test
  void unsetAlarmSettingsAreTheCdkMetricsFiveMinutePeriodOverOneEvaluation() throws Exception {
    Alarm alarm = plan(seedSpec()).alarms().get(0);

    assertThat(alarm.periodSeconds()).isEqualTo(300);
    assertThat(alarm.evaluationPeriods()).isEqualTo(1);
    assertThat(alarm.datapointsToAlarm()).isEqualTo(1);
    assertThat(alarm.treatMissingData()).isEqualTo("missing");
  }

  @Test
  void cooldownsGivenInTheSpecWinOverDefaults() throws Exception {
    DesiredState desired =
        plan(
            spec(
                """
modelType: Async
target: {endpointName: ep}
minCapacity: 1
maxCapacity: 4
targetTracking:
  - {name: cpu, metric: CPUUtilization, targetValue: 60, scaleOutCooldownSeconds: 15, scaleInCooldownSeconds: 0, disableScaleIn: true}
stepScaling:
  - name: steps
    metric: CPUUtilization
    cooldownSeconds: 45
    steps: [{upper: 20, change: -1}, {lower: 80, change: 1}]
"""));

    assertThat(policy(desired, P + "cpu").config())
        .isEqualTo(
            new TargetTracking(
                60,
                new CloudWatch(
                    "/aws/sagemaker/Endpoints",
                    "CPUUtilization",
                    List.of(
                        new Dimension("EndpointName", "ep"),
                        new Dimension("VariantName", "AllTraffic")),
                    "Average",
                    null),
                15,
                0,
                true));
    assertThat(((StepScaling) policy(desired, P + "steps_lower").config()).cooldown())
        .isEqualTo(45);
    assertThat(((StepScaling) policy(desired, P + "steps_upper").config()).cooldown())
        .isEqualTo(45);
  }

  // ---------------------------------------------------------------- per-core metrics

  private static final String PER_CORE =
      """
      modelType: RealTime
      target: {endpointName: recommender-prod, variantName: prod}
      minCapacity: 1
      maxCapacity: 3
      targetTracking:
        - {name: cpu-core, metric: CPUUtilizationPerCore, targetValue: 70}
      """;

  @Test
  void cpuPerCoreDividesUtilizationByTheInstanceTypesVcpus() throws Exception {
    SageMakerScalingPolicySpec spec = spec(PER_CORE);
    assertThat(Planner.needsInstanceType(spec)).isTrue();

    DesiredState desired = Planner.plan(spec, OWNER, Optional.of("ml.c5.2xlarge")).desiredOrThrow();

    MetricMath math =
        (MetricMath) ((TargetTracking) policy(desired, P + "cpu-core").config()).metric();
    assertThat(math.queries()).hasSize(2);
    Query metric = math.queries().get(0);
    Query expression = math.queries().get(1);
    assertThat(metric.metric()).isEqualTo(SEED_CPU);
    assertThat(metric.returnData()).isNotEqualTo(Boolean.TRUE);
    assertThat(expression.expression()).isEqualTo(metric.id() + " / 8");
    assertThat(expression.returnData()).isTrue();
    assertThat(math.queries())
        .filteredOn(q -> Boolean.TRUE.equals(q.returnData()))
        .containsExactly(expression);
  }

  @Test
  void aPerCoreMetricWithoutAnInstanceTypeIsRefusedOnItsMetricField() throws Exception {
    assertThat(Planner.needsInstanceType(seedSpec())).isFalse();

    assertThat(refusal(spec(PER_CORE), Optional.empty()))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.targetTracking[0].metric");
              assertThat(p.message()).contains("CPUUtilizationPerCore").contains("instance type");
            });
    assertThat(refusal(spec(PER_CORE), Optional.of("ml.unknown")))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("ml.unknown"));
  }

  // ---------------------------------------------------------------- scale from zero

  @Test
  void scaleFromZeroOnAsyncAddsTheBacklogStepPolicyAndAlarm() throws Exception {
    DesiredState desired =
        plan(
            spec(
                """
                modelType: Async
                target: {endpointName: async-ep}
                minCapacity: 0
                maxCapacity: 4
                scaleFromZero: true
                targetTracking:
                  - {name: backlog, metric: BacklogSizePerInstance, targetValue: 5}
                """));

    assertThat(desired.policies())
        .extracting(ScalingPolicy::name)
        .containsExactly(P + "backlog", P + "ScaleFromZero");
    assertThat(policy(desired, P + "ScaleFromZero").config())
        .isEqualTo(
            new StepScaling(
                "ChangeInCapacity",
                List.of(new StepAdjustment(0.0, null, 1)),
                null,
                300,
                "Average"));
    assertThat(desired.alarms())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("description")
        .containsExactly(
            new Alarm(
                P + "ScaleFromZero",
                P + "ScaleFromZero",
                "",
                new CloudWatch(
                    "AWS/SageMaker",
                    "HasBacklogWithoutCapacity",
                    List.of(new Dimension("EndpointName", "async-ep")),
                    "Average",
                    null),
                1,
                "GreaterThanOrEqualToThreshold",
                60,
                2,
                2,
                "missing"));
    assertThat(desired.target().minCapacity()).isZero();
    assertThat(((TargetTracking) policy(desired, P + "backlog").config()).metric())
        .isEqualTo(
            new CloudWatch(
                "AWS/SageMaker",
                "ApproximateBacklogSizePerInstance",
                List.of(new Dimension("EndpointName", "async-ep")),
                "Average",
                null));
  }

  // ---------------------------------------------------------------- schedules and suspension

  @Test
  void schedulesKeepCronTimeZoneWindowAndCapacities() throws Exception {
    DesiredState desired =
        plan(
            spec(
                """
                modelType: Batch
                target: {endpointName: batch-ep}
                minCapacity: 1
                maxCapacity: 10
                schedules:
                  - name: business-hours
                    schedule: cron(0 8 ? * MON-FRI *)
                    timezone: Europe/Berlin
                    startTime: "2026-01-01T00:00:00Z"
                    endTime: "2026-12-31T23:00:00+01:00"
                    minCapacity: 4
                    maxCapacity: 10
                  - name: night
                    schedule: rate(1 day)
                    maxCapacity: 2
                """));

    assertThat(desired.scheduledActions())
        .containsExactly(
            new ScheduledAction(
                P + "business-hours",
                "cron(0 8 ? * MON-FRI *)",
                "Europe/Berlin",
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-12-31T22:00:00Z"),
                4,
                10),
            new ScheduledAction(P + "night", "rate(1 day)", null, null, null, null, 2));
    assertThat(desired.policies()).isEmpty();
  }

  @Test
  void suspendMapsToTheTargetsSuspendedState() throws Exception {
    DesiredState desired =
        plan(
            spec(
                """
                modelType: RealTime
                target: {endpointName: ep}
                minCapacity: 1
                maxCapacity: 2
                suspend: {scaleIn: true, scheduled: true}
                """));

    assertThat(desired.target().suspension()).isEqualTo(new Suspension(true, false, true));
  }

  // ---------------------------------------------------------------- serverless and inference
  // components

  private static final String SERVERLESS =
      """
      modelType: RealTime
      target: {endpointName: serverless-ep, capacityUnit: ProvisionedConcurrency}
      minCapacity: 1
      maxCapacity: 20
      targetTracking:
        - {name: concurrency, metric: %s, targetValue: 0.7}
      """;

  @Test
  void serverlessScalesProvisionedConcurrencyOnItsUtilization() throws Exception {
    DesiredState desired = plan(spec(SERVERLESS.formatted("ProvisionedConcurrencyUtilization")));

    assertThat(desired.target().key())
        .isEqualTo(
            new TargetKey(
                "endpoint/serverless-ep/variant/AllTraffic",
                "sagemaker:variant:DesiredProvisionedConcurrency"));
    assertThat(((TargetTracking) policy(desired, P + "concurrency").config()).metric())
        .isEqualTo(new Predefined("SageMakerVariantProvisionedConcurrencyUtilization"));
  }

  @ParameterizedTest
  @EnumSource(
      value = MetricKind.class,
      names = {"ProvisionedConcurrencyUtilization", "Custom"},
      mode = EnumSource.Mode.EXCLUDE)
  void serverlessRefusesEveryOtherPredefinedMetric(MetricKind metric) {
    assertThat(refusal(spec(SERVERLESS.formatted(metric)), Optional.of("ml.c5.2xlarge")))
        .anySatisfy(
            p -> {
              assertThat(p.field()).isEqualTo("spec.targetTracking[0].metric");
              assertThat(p.message()).contains("ProvisionedConcurrencyUtilization");
            });
  }

  @Test
  void inferenceComponentScalesItsCopyCount() throws Exception {
    DesiredState desired =
        plan(
            spec(
                """
                modelType: RealTime
                target: {inferenceComponentName: llama-ic}
                minCapacity: 1
                maxCapacity: 6
                targetTracking:
                  - {name: invocations, metric: InvocationsPerCopy, targetValue: 10}
                """));

    assertThat(desired.target().key())
        .isEqualTo(
            new TargetKey(
                "inference-component/llama-ic", "sagemaker:inference-component:DesiredCopyCount"));
    assertThat(((TargetTracking) policy(desired, P + "invocations").config()).metric())
        .isEqualTo(new Predefined("SageMakerInferenceComponentInvocationsPerCopy"));
  }

  @Test
  void invalidSpecsAreNotPlanned() throws Exception {
    SageMakerScalingPolicySpec spec = seedSpec();
    spec.setMinCapacity(5);

    assertThat(refusal(spec, Optional.empty()))
        .extracting(SpecProblem::field)
        .contains("spec.minCapacity");
  }
}
