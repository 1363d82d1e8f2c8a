package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.condition;
import static dev.sagemaker.autoscaling.testing.OperatorHarness.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/** The seed article's stack, applied as one resource, against the real API server and moto. */
class SeedExampleIT {
  private static final Duration RESYNC = Duration.ofSeconds(3);

  @RegisterExtension final OperatorExtension fixture = OperatorExtension.operator(RESYNC);

  private String prefix() {
    return fixture.awsPrefix("recommender");
  }

  /** Ready for exactly this generation: the spec as applied or last updated by the test. */
  private void awaitReady(long generation) {
    assertThat(fixture.awaitReady("recommender").getStatus().getObservedGeneration())
        .isEqualTo(generation);
  }

  @Test
  void seedStackConvergesFieldByField() throws Exception {
    fixture.seed("recommender", "recommender-prod");
    awaitReady(1);

    ScalableTarget target = fixture.moto().targets().get(0);
    assertThat(fixture.moto().targets()).hasSize(1);
    assertThat(target.resourceId()).isEqualTo("endpoint/recommender-prod/variant/prod");
    assertThat(target.scalableDimensionAsString())
        .isEqualTo("sagemaker:variant:DesiredInstanceCount");
    assertThat(target.minCapacity()).isEqualTo(1);
    assertThat(target.maxCapacity()).isEqualTo(3);

    Map<String, ScalingPolicy> policies =
        fixture.moto().policies().stream()
            .collect(Collectors.toMap(ScalingPolicy::policyName, Function.identity()));
    assertThat(policies)
        .containsOnlyKeys(
            prefix() + "requests",
            prefix() + "cpu",
            prefix() + "memory",
            prefix() + "cpu-steps_lower",
            prefix() + "cpu-steps_upper");
    var requests = policies.get(prefix() + "requests").targetTrackingScalingPolicyConfiguration();
    assertThat(requests.targetValue()).isEqualTo(1000.0);
    assertThat(requests.predefinedMetricSpecification().predefinedMetricTypeAsString())
        .isEqualTo("SageMakerVariantInvocationsPerInstance");
    // The seed sets no cooldown: as the CDK stack, the request leaves them out and AWS applies 300
    // s.
    assertThat(requests.scaleOutCooldown()).isNull();
    assertThat(requests.scaleInCooldown()).isNull();
    var cpu = policies.get(prefix() + "cpu").targetTrackingScalingPolicyConfiguration();
    assertThat(cpu.targetValue()).isEqualTo(70.0);
    assertThat(cpu.customizedMetricSpecification().metricName()).isEqualTo("CPUUtilization");
    assertThat(cpu.customizedMetricSpecification().namespace())
        .isEqualTo("/aws/sagemaker/Endpoints");
    assertThat(cpu.customizedMetricSpecification().dimensions())
        .extracting(d -> d.name() + "=" + d.value())
        .containsExactly("EndpointName=recommender-prod", "VariantName=prod");
    assertThat(cpu.customizedMetricSpecification().statisticAsString()).isEqualTo("Average");
    var memory = policies.get(prefix() + "memory").targetTrackingScalingPolicyConfiguration();
    assertThat(memory.targetValue()).isEqualTo(80.0);
    assertThat(memory.customizedMetricSpecification().metricName()).isEqualTo("MemoryUtilization");

    var lower = policies.get(prefix() + "cpu-steps_lower").stepScalingPolicyConfiguration();
    assertThat(lower.adjustmentTypeAsString()).isEqualTo("ChangeInCapacity");
    assertThat(lower.stepAdjustments())
        .extracting(
            a ->
                a.metricIntervalLowerBound()
                    + ".."
                    + a.metricIntervalUpperBound()
                    + ":"
                    + a.scalingAdjustment())
        .containsExactly("null..0.0:-1");
    var upper = policies.get(prefix() + "cpu-steps_upper").stepScalingPolicyConfiguration();
    assertThat(upper.stepAdjustments())
        .extracting(
            a ->
                a.metricIntervalLowerBound()
                    + ".."
                    + a.metricIntervalUpperBound()
                    + ":"
                    + a.scalingAdjustment())
        .containsExactly("0.0..30.0:1", "30.0..null:2");

    Map<String, MetricAlarm> alarms =
        fixture.moto().alarms().stream()
            .collect(Collectors.toMap(MetricAlarm::alarmName, Function.identity()));
    assertThat(alarms).containsOnlyKeys(prefix() + "cpu-steps_lower", prefix() + "cpu-steps_upper");
    MetricAlarm lowerAlarm = alarms.get(prefix() + "cpu-steps_lower");
    assertThat(lowerAlarm.threshold()).isEqualTo(30.0);
    assertThat(lowerAlarm.comparisonOperatorAsString()).isEqualTo("LessThanOrEqualToThreshold");
    assertThat(lowerAlarm.alarmActions())
        .containsExactly(policies.get(prefix() + "cpu-steps_lower").policyARN());
    MetricAlarm upperAlarm = alarms.get(prefix() + "cpu-steps_upper");
    assertThat(upperAlarm.threshold()).isEqualTo(70.0);
    assertThat(upperAlarm.comparisonOperatorAsString()).isEqualTo("GreaterThanOrEqualToThreshold");
    assertThat(upperAlarm.alarmActions())
        .containsExactly(policies.get(prefix() + "cpu-steps_upper").policyARN());
    assertThat(upperAlarm.metricName()).isEqualTo("CPUUtilization");
    // The CDK metric's default period, one datapoint of it.
    assertThat(upperAlarm.period()).isEqualTo(300);
    assertThat(upperAlarm.evaluationPeriods()).isEqualTo(1);

    SageMakerScalingPolicy ready = fixture.get("recommender");
    assertThat(ready.getStatus().getResourceId())
        .isEqualTo("endpoint/recommender-prod/variant/prod");
    assertThat(ready.getStatus().getScalableDimension())
        .isEqualTo("sagemaker:variant:DesiredInstanceCount");
    assertThat(ready.getStatus().getEndpoint().getStatus()).isEqualTo("InService");
    assertThat(ready.getStatus().getEndpoint().getCurrentCapacity()).isEqualTo(1);
    assertThat(ready.getStatus().getPolicies())
        .extracting(p -> p.getName() + "=" + p.getArn())
        .containsExactlyInAnyOrderElementsOf(
            policies.values().stream().map(p -> p.policyName() + "=" + p.policyARN()).toList());
    assertThat(isTrue(ready, "Reconciling")).isFalse();
    assertThat(isTrue(ready, "Stalled")).isFalse();
  }

  @Test
  void convergedResourceMakesNoWritesOnResync() throws Exception {
    fixture.seed("recommender", "recommender-prod");
    awaitReady(1);
    long writes = fixture.operator().awsCalls().writes();
    long reads = fixture.operator().awsCalls().reads();
    // Several resync periods: each pass reads AWS and must find nothing to write.
    await()
        .pollDelay(Duration.ofMillis(100))
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixture.operator().awsCalls().reads() >= reads + 3 * 5);
    assertThat(fixture.operator().awsCalls().writes())
        .as("writes after convergence: %s", fixture.operator().awsCalls().countsByOperation())
        .isEqualTo(writes);
  }

  @Test
  void specChangesReachAws() throws Exception {
    fixture.seed("recommender", "recommender-prod");
    awaitReady(1);

    SageMakerScalingPolicy changed = fixture.get("recommender");
    changed.getSpec().getTargetTracking().get(1).setTargetValue(55.0);
    changed.getSpec().getTargetTracking().removeIf(t -> t.getName().equals("memory"));
    changed.getSpec().getStepScaling().clear();
    changed.getSpec().setMaxCapacity(5);
    fixture.client().resource(changed).update();
    awaitReady(2);

    assertThat(fixture.moto().targets())
        .singleElement()
        .satisfies(t -> assertThat(t.maxCapacity()).isEqualTo(5));
    Map<String, ScalingPolicy> policies =
        fixture.moto().policies().stream()
            .collect(Collectors.toMap(ScalingPolicy::policyName, Function.identity()));
    assertThat(policies).containsOnlyKeys(prefix() + "requests", prefix() + "cpu");
    assertThat(
            policies.get(prefix() + "cpu").targetTrackingScalingPolicyConfiguration().targetValue())
        .isEqualTo(55.0);
    assertThat(fixture.moto().alarms()).as("removing the step item removes its alarms").isEmpty();
  }

  @Test
  void waitsForAnEndpointCreatedLater() throws Exception {
    fixture.create(fixture.seedManifest("recommender", "recommender-prod"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              SageMakerScalingPolicy r = fixture.get("recommender");
              assertThat(condition(r, "Reconciling"))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("EndpointNotFound");
                        assertThat(c.getMessage()).contains("recommender-prod");
                      });
              assertThat(isTrue(r, "Ready")).isFalse();
            });
    assertThat(fixture.moto().targets()).isEmpty();

    fixture.moto().createEndpoint("recommender-prod", "prod", "ml.c5.2xlarge", 1);
    // The operator looks again on its own (wait interval), without any change to the resource.
    await().atMost(Duration.ofSeconds(60)).until(() -> isTrue(fixture.get("recommender"), "Ready"));
    assertThat(fixture.moto().policies()).hasSize(5);
  }
}
