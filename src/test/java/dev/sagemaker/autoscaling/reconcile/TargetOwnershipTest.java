package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.reconcile.Fixtures.SEED_TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.DeletionPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.PolicyStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedTarget;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.Suspension;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who holds a target and its alarms, decided by AWS's owner tag and marks; what a status says. */
class TargetOwnershipTest {
  private final TargetOwnership ownership = new TargetOwnership("test");
  private final Owner owner = new Owner("test", "ml", "recommender", "uid-1");
  private final Owner twin = new Owner("test", "ml", "recommender", "uid-2");

  @Test
  void theOwnerIsTheClusterTheResourceAndItsUid() {
    SageMakerScalingPolicy resource = Fixtures.seed();

    Owner o = ownership.owner(resource);

    assertThat(o.mark()).isEqualTo("test/ml/recommender/ml-recommender-uid");
    assertThat(o.tags()).containsEntry(Owner.TAG_KEY, o.mark());
    assertThat(o.prefix()).isEqualTo("smsp_test_ml_recommender_");
  }

  @Test
  void aLongMarkFitsATagValueAndKeepsTheClusterFirstAndTheUidLast() {
    String uid = "0f5e4a3c-1111-2222-3333-444455556666";
    Owner longest = new Owner("c".repeat(52), "n".repeat(63), "r".repeat(253), uid);

    assertThat(longest.mark()).hasSize(Owner.MAX_MARK_LENGTH);
    assertThat(longest.mark()).startsWith("c".repeat(52) + "/").endsWith("/" + uid);
    assertThat(Owner.markIn(longest.markedDescription("an alarm"))).contains(longest.mark());
    assertThat(Owner.markIn("an alarm someone wrote")).isEmpty();
  }

  @Test
  void onlyTheTagHolderOwnsATargetAndAdoptionTakesOnlyUntaggedOnes() {
    assertThat(TargetOwnership.claimTarget(SEED_TARGET, Optional.of(owner.mark()), owner, false))
        .isInstanceOf(TargetOwnership.Claim.Owned.class);
    assertThat(TargetOwnership.claimTarget(SEED_TARGET, Optional.of(twin.mark()), owner, true))
        .isInstanceOfSatisfying(
            TargetOwnership.Claim.Refused.class,
            r -> assertThat(r.message()).contains(twin.mark(), "never takes"));
    assertThat(TargetOwnership.claimTarget(SEED_TARGET, Optional.of("anything"), owner, true))
        .isInstanceOf(TargetOwnership.Claim.Refused.class);
    assertThat(TargetOwnership.claimTarget(SEED_TARGET, Optional.empty(), owner, true))
        .isInstanceOf(TargetOwnership.Claim.Adopt.class);
    assertThat(TargetOwnership.claimTarget(SEED_TARGET, Optional.empty(), owner, false))
        .isInstanceOfSatisfying(
            TargetOwnership.Claim.Refused.class,
            r -> assertThat(r.message()).contains("autoscaling.sagemaker.dev/adopt"));
  }

  @Test
  void alarmsCountAsHeldByOthersWhenTheirMarkIsNotOurs() {
    List<ObservedAlarm> alarms =
        List.of(
            alarm(owner.prefix() + "mine", owner.markedDescription("step")),
            alarm(owner.prefix() + "twins", twin.markedDescription("step")),
            alarm(owner.prefix() + "unmarked", "made by hand"),
            alarm("smsp_test_ml_other_x", "not our name at all"));

    assertThat(TargetOwnership.alarmsHeldByOthers(alarms, owner))
        .extracting(Alarm::name)
        .containsExactly(owner.prefix() + "twins", owner.prefix() + "unmarked");
  }

  @Test
  void aDeletionMayRemoveTheTargetAndItsPoliciesOnlyUnderItsOwnTag() {
    ObservedState observed =
        new ObservedState(
            Optional.of(
                new ObservedTarget(new ScalableTarget(SEED_TARGET, 1, 3, Suspension.NONE), "arn")),
            List.of(new ObservedPolicy(null, "policy-arn")),
            List.of(
                alarm(owner.prefix() + "mine", owner.markedDescription("step")),
                alarm(owner.prefix() + "twins", twin.markedDescription("step"))),
            List.of());

    ObservedState mine = TargetOwnership.ownedPart(observed, Optional.of(owner.mark()), owner);
    assertThat(mine.target()).isPresent();
    assertThat(mine.policies()).hasSize(1);
    assertThat(mine.alarms())
        .extracting(a -> a.alarm().name())
        .containsExactly(owner.prefix() + "mine");

    ObservedState held = TargetOwnership.ownedPart(observed, Optional.of(twin.mark()), owner);
    assertThat(held.target()).isEmpty();
    assertThat(held.policies()).isEmpty();
    assertThat(held.alarms())
        .extracting(a -> a.alarm().name())
        .containsExactly(owner.prefix() + "mine");
  }

  @Test
  void aDeletionLooksAtTheRecordedTargetOrTheSpecsAndRetainLooksNowhere() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    assertThat(ownership.leftBehind(resource)).contains(SEED_TARGET);

    SageMakerScalingPolicyStatus status = new SageMakerScalingPolicyStatus();
    TargetKey recorded = TargetKey.variant("older", "prod", TargetKey.VARIANT_INSTANCES);
    status.setResourceId(recorded.resourceId());
    status.setScalableDimension(recorded.scalableDimension());
    resource.setStatus(status);
    assertThat(ownership.leftBehind(resource)).contains(recorded);

    resource.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    assertThat(ownership.leftBehind(resource)).isEmpty();
  }

  @Test
  void aStatusRecordsATargetOnlyAfterASuccessfulSyncOfIt() {
    SageMakerScalingPolicyStatus status = new SageMakerScalingPolicyStatus();
    status.setResourceId(SEED_TARGET.resourceId());
    status.setScalableDimension(SEED_TARGET.scalableDimension());

    assertThat(TargetOwnership.convergedOn(status, SEED_TARGET)).as("no sync yet").isFalse();
    status.setLastSyncTime("2026-03-01T10:00:00Z");
    assertThat(TargetOwnership.convergedOn(status, SEED_TARGET)).isTrue();
    assertThat(
            TargetOwnership.convergedOn(
                status, TargetKey.variant("other", "prod", TargetKey.VARIANT_INSTANCES)))
        .isFalse();
    assertThat(TargetOwnership.convergedOn(null, SEED_TARGET)).isFalse();
    assertThat(TargetOwnership.recordable(status, SEED_TARGET)).isEqualTo(SEED_TARGET);
    assertThat(
            TargetOwnership.recordable(
                status, TargetKey.variant("other", "prod", TargetKey.VARIANT_INSTANCES)))
        .as("a target the status does not record stays out of it")
        .isNull();
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

  private static ObservedAlarm alarm(String name, String description) {
    return new ObservedAlarm(
        new Alarm(
            name, "policy", description, null, 1, "GreaterThanThreshold", 60, 1, 1, "missing"),
        List.of());
  }
}
