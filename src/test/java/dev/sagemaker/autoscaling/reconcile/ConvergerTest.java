package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.reconcile.Fixtures.REGION;
import static dev.sagemaker.autoscaling.reconcile.Fixtures.SEED_TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.fake.FakeScalingApi;
import dev.sagemaker.autoscaling.fake.FakeScalingApi.Call;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.Suspension;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One pass against an in-memory AWS: waiting, ownership of an existing target, write order, minimal
 * writes.
 */
class ConvergerTest {
  private static final Owner OWNER = new Owner("test", "ml", "recommender");
  private static final Converger.OwnedSummary NOTHING_KNOWN =
      new Converger.OwnedSummary(false, true, true);
  private static final Converger.OwnedSummary OWNS_ALL =
      new Converger.OwnedSummary(true, true, true);

  private final SageMakerScalingPolicySpec spec = Fixtures.seed().getSpec();

  private Outcome converge(FakeScalingApi aws, Converger.OwnedSummary known, boolean adopt) {
    return new Converger(aws).converge(spec, OWNER, REGION, known, adopt, Optional.empty());
  }

  @Test
  void waitsWithoutWritingWhileTheEndpointIsMissingOrNotInService() {
    FakeScalingApi missing = new FakeScalingApi(REGION);
    assertThat(converge(missing, NOTHING_KNOWN, false))
        .isInstanceOfSatisfying(
            Outcome.Waiting.class, w -> assertThat(w.reason()).isEqualTo(Reason.EndpointNotFound));

    FakeScalingApi otherVariant =
        new FakeScalingApi(REGION)
            .withEndpoint(Fixtures.ENDPOINT, "InService", "ml.m5.xlarge", "blue");
    assertThat(converge(otherVariant, NOTHING_KNOWN, false))
        .isInstanceOfSatisfying(
            Outcome.Waiting.class,
            w -> {
              assertThat(w.reason()).isEqualTo(Reason.VariantNotFound);
              assertThat(w.message()).contains("blue");
            });

    FakeScalingApi updating =
        new FakeScalingApi(REGION)
            .withEndpoint(Fixtures.ENDPOINT, "Updating", "ml.m5.xlarge", "prod");
    assertThat(converge(updating, NOTHING_KNOWN, false))
        .isInstanceOfSatisfying(
            Outcome.Waiting.class,
            w -> assertThat(w.reason()).isEqualTo(Reason.EndpointNotInService));

    assertThat(missing.writes()).isEmpty();
    assertThat(otherVariant.writes()).isEmpty();
    assertThat(updating.writes()).isEmpty();
  }

  @Test
  void firstPassRegistersTheTargetThenPutsPoliciesThenTheirAlarms() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();

    Outcome outcome = converge(aws, NOTHING_KNOWN, false);

    assertThat(outcome).isInstanceOf(Outcome.Converged.class);
    List<String> operations = aws.writes().stream().map(Call::operation).toList();
    assertThat(operations)
        .containsExactly(
            "RegisterScalableTarget",
            "PutScalingPolicy",
            "PutScalingPolicy",
            "PutScalingPolicy",
            "PutScalingPolicy",
            "PutScalingPolicy",
            "PutMetricAlarm",
            "PutMetricAlarm");
    assertThat(aws.targetTags(SEED_TARGET)).containsEntry(Owner.TAG_KEY, OWNER.tagValue());
    // Each alarm's only action is the ARN its step policy got.
    Map<String, ObservedPolicy> policies = aws.policies(SEED_TARGET);
    assertThat(aws.alarmNames())
        .allSatisfy(
            alarm ->
                assertThat(policies.values())
                    .extracting(ObservedPolicy::arn)
                    .contains(aws.alarmAction(alarm)));
    assertThat(((Outcome.Converged) outcome).policies())
        .allSatisfy(p -> assertThat(p.getArn()).isEqualTo(policies.get(p.getName()).arn()));
  }

  @Test
  void aPassOverConvergedAwsWritesNothing() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    aws.clearCalls();

    Outcome again = converge(aws, OWNS_ALL, false);

    assertThat(aws.writes()).isEmpty();
    assertThat(again)
        .isInstanceOfSatisfying(Outcome.Converged.class, c -> assertThat(c.changes()).isEmpty());
  }

  @Test
  void driftOnOnePolicyRewritesOnlyThatPolicy() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    String requests = OWNER.targetTrackingPolicy("requests");
    ScalingPolicy original = aws.policies(SEED_TARGET).get(requests).policy();
    PolicyConfig.TargetTracking tt = (PolicyConfig.TargetTracking) original.config();
    aws.putPolicyOutOfBand(
        SEED_TARGET,
        new ScalingPolicy(
            requests,
            new PolicyConfig.TargetTracking(
                5, tt.metric(), tt.scaleOutCooldown(), tt.scaleInCooldown(), tt.disableScaleIn())));
    aws.clearCalls();

    converge(aws, OWNS_ALL, false);

    assertThat(aws.writes()).containsExactly(new Call("PutScalingPolicy", requests));
    assertThat(aws.policies(SEED_TARGET).get(requests).policy()).isEqualTo(original);
  }

  @Test
  void aTargetRegisteredByAnotherToolIsLeftAloneUnlessAdoptionIsAsked() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    aws.registerOutOfBand(
        new ScalableTarget(SEED_TARGET, 1, 2, Suspension.NONE), Map.of("team", "other"));

    Outcome refused = converge(aws, NOTHING_KNOWN, false);

    assertThat(refused)
        .isInstanceOfSatisfying(
            Outcome.Stalled.class,
            s -> {
              assertThat(s.reason()).isEqualTo(Reason.Conflict);
              assertThat(s.message()).contains("autoscaling.sagemaker.dev/adopt");
            });
    assertThat(aws.writes()).isEmpty();

    Outcome adopted = converge(aws, NOTHING_KNOWN, true);

    assertThat(adopted).isInstanceOf(Outcome.Converged.class);
    assertThat(aws.writes().get(0).operation()).isEqualTo("TagResource");
    assertThat(aws.targetTags(SEED_TARGET))
        .containsEntry(Owner.TAG_KEY, OWNER.tagValue())
        .containsEntry("team", "other");
    assertThat(aws.target(SEED_TARGET)).map(ScalableTarget::maxCapacity).contains(3);
  }

  @Test
  void aTargetTaggedWithOurOwnerIsOursEvenWithoutAStatus() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    aws.registerOutOfBand(new ScalableTarget(SEED_TARGET, 1, 3, Suspension.NONE), OWNER.tags());

    Outcome outcome = converge(aws, NOTHING_KNOWN, false);

    assertThat(outcome).isInstanceOf(Outcome.Converged.class);
    assertThat(aws.writes())
        .extracting(Call::operation)
        .doesNotContain("TagResource", "RegisterScalableTarget");
  }

  @Test
  void teardownDeletesAlarmsBeforePoliciesAndDeregistersOnlyAnEmptyTarget() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    ScalingPolicy foreign =
        new ScalingPolicy(
            "someone-elses",
            aws.policies(SEED_TARGET).values().iterator().next().policy().config());
    aws.putPolicyOutOfBand(SEED_TARGET, foreign);
    aws.clearCalls();

    List<String> removed = new Converger(aws).teardown(SEED_TARGET, OWNER, true);

    assertThat(removed).first().asString().startsWith("DeleteAlarms");
    assertThat(aws.alarmNames()).isEmpty();
    assertThat(aws.policies(SEED_TARGET)).containsOnlyKeys("someone-elses");
    assertThat(aws.target(SEED_TARGET)).as("another tool's policy keeps the target").isPresent();

    aws.deletePolicy(SEED_TARGET, "someone-elses");
    new Converger(aws).teardown(SEED_TARGET, OWNER, true);

    assertThat(aws.target(SEED_TARGET)).isEmpty();
  }

  @Test
  void teardownOfATargetWithOnlyOurObjectsTakesTwoWrites() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    assertThat(aws.policies(SEED_TARGET)).isNotEmpty();
    aws.clearCalls();

    new Converger(aws).teardown(SEED_TARGET, OWNER, true);

    assertThat(aws.writes())
        .extracting(FakeScalingApi.Call::operation)
        .containsExactly("DeleteAlarms", "DeregisterScalableTarget");
    assertThat(aws.target(SEED_TARGET)).isEmpty();
    assertThat(aws.policies(SEED_TARGET)).isEmpty();
    assertThat(aws.scheduledActions(SEED_TARGET)).isEmpty();
    assertThat(aws.alarmNames()).isEmpty();
  }
}
