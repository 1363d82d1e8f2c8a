package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.reconcile.Fixtures.SEED_TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.AwsSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.PolicyStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which of several resources naming one target may write it, and what a status says a resource
 * owns.
 */
class TargetOwnershipTest {
  private final TargetOwnership ownership =
      new TargetOwnership("test", () -> Optional.of(Fixtures.REGION));

  private Optional<SageMakerScalingPolicy> claimant(
      SageMakerScalingPolicy resource, SageMakerScalingPolicy... all) {
    return ownership.seniorClaimant(resource, SEED_TARGET, Stream.of(all));
  }

  @Test
  void theOldestResourceHoldsTheTargetAndTiesGoByNamespaceThenName() {
    SageMakerScalingPolicy old = Fixtures.seed("b", "old", "2026-01-01T00:00:00Z");
    SageMakerScalingPolicy young = Fixtures.seed("a", "young", "2026-02-01T00:00:00Z");
    SageMakerScalingPolicy twinA = Fixtures.seed("a", "twin", "2026-03-01T00:00:00Z");
    SageMakerScalingPolicy twinB = Fixtures.seed("b", "twin", "2026-03-01T00:00:00Z");

    assertThat(claimant(young, old, young)).contains(old);
    assertThat(claimant(old, old, young)).as("the oldest is held by nobody").isEmpty();
    assertThat(claimant(twinB, twinA, twinB)).contains(twinA);
    assertThat(claimant(twinA, twinA, twinB)).isEmpty();
    assertThat(claimant(twinB, old, young, twinA, twinB))
        .as("the most senior is named")
        .contains(old);
  }

  @Test
  void deletedInvalidOrOtherRegionResourcesHoldNothing() {
    SageMakerScalingPolicy resource = Fixtures.seed("a", "young", "2026-02-01T00:00:00Z");
    SageMakerScalingPolicy deleted = Fixtures.seed("a", "deleted", "2026-01-01T00:00:00Z");
    deleted.getMetadata().setDeletionTimestamp("2026-02-02T00:00:00Z");
    SageMakerScalingPolicy invalid = Fixtures.seed("a", "invalid", "2026-01-01T00:00:00Z");
    invalid.getSpec().setMinCapacity(10);
    SageMakerScalingPolicy elsewhere = Fixtures.seed("a", "elsewhere", "2026-01-01T00:00:00Z");
    AwsSettings aws = new AwsSettings();
    aws.setRegion("us-east-1");
    elsewhere.getSpec().setAws(aws);

    assertThat(claimant(resource, resource, deleted, invalid, elsewhere)).isEmpty();
  }

  @Test
  void aResourceOwnsItsTargetOnlyAfterASuccessfulSyncOfThatTarget() {
    SageMakerScalingPolicyStatus status = new SageMakerScalingPolicyStatus();
    status.setResourceId(SEED_TARGET.resourceId());
    status.setScalableDimension(SEED_TARGET.scalableDimension());

    assertThat(TargetOwnership.ownsTarget(status, SEED_TARGET)).as("no sync yet").isFalse();
    status.setLastSyncTime("2026-03-01T10:00:00Z");
    assertThat(TargetOwnership.ownsTarget(status, SEED_TARGET)).isTrue();
    assertThat(
            TargetOwnership.ownsTarget(
                status, TargetKey.variant("other", "prod", TargetKey.VARIANT_INSTANCES)))
        .isFalse();
    assertThat(TargetOwnership.ownsTarget(null, SEED_TARGET)).isFalse();
  }

  @Test
  void withoutAStatusAnythingMayExistInAws() {
    assertThat(TargetOwnership.knownOwned(null, SEED_TARGET))
        .isEqualTo(new Converger.OwnedSummary(false, true, true));

    SageMakerScalingPolicyStatus status = new SageMakerScalingPolicyStatus();
    status.setPolicies(List.of(new PolicyStatus("p", "TargetTrackingScaling", "arn", List.of())));
    assertThat(TargetOwnership.knownOwned(status, SEED_TARGET))
        .isEqualTo(new Converger.OwnedSummary(false, false, false));
  }

  @Test
  void aResourceThatLostTheTargetToAnotherIsKnownByItsStatus() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    StatusBuilder builder = new StatusBuilder(new Fixtures.ManualClock("2026-03-01T10:00:00Z"));
    resource.setStatus(
        builder.build(resource, new Outcome.Stalled(SEED_TARGET, null, Reason.Conflict, "held")));

    assertThat(TargetOwnership.lostToSeniorClaimant(resource.getStatus())).isTrue();

    resource.setStatus(
        builder.build(
            resource, new Outcome.Stalled(SEED_TARGET, null, Reason.AwsRejected, "denied")));
    assertThat(TargetOwnership.lostToSeniorClaimant(resource.getStatus())).isFalse();
    assertThat(TargetOwnership.lostToSeniorClaimant(null)).isFalse();
  }
}
