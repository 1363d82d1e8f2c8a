package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.reconcile.Fixtures.REGION;
import static dev.sagemaker.autoscaling.reconcile.Fixtures.SEED_TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagemaker.autoscaling.api.v1alpha1.EndpointStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduledBoundsStatus;
import dev.sagemaker.autoscaling.plan.ScheduledBounds;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The conditions every outcome writes, and the transition times they keep. */
class StatusBuilderTest {
  private final Fixtures.ManualClock clock = new Fixtures.ManualClock("2026-03-01T10:00:00Z");
  private final StatusBuilder builder = new StatusBuilder(clock);

  private static Outcome.Converged converged() {
    return new Outcome.Converged(
        SEED_TARGET,
        REGION,
        new EndpointStatus(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        Optional.empty());
  }

  /** An outcome that ends with the given condition reason. */
  private static Outcome outcomeWith(Reason reason) {
    return switch (reason) {
      case Converged -> converged();
      case Paused -> new Outcome.Paused("paused");
      case EndpointNotFound, VariantNotFound, EndpointNotInService ->
          new Outcome.Waiting(SEED_TARGET, REGION, reason, "waiting", null);
      case AwsRetrying, InternalError ->
          new Outcome.Retrying(SEED_TARGET, REGION, reason, "retrying");
      default -> new Outcome.Stalled(SEED_TARGET, REGION, reason, "stalled");
    };
  }

  private static Condition condition(SageMakerScalingPolicyStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(
      value = Reason.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {
        "Applied",
        "DriftCorrected",
        "Deregistered",
        "InvalidAnnotation",
        "Unreadable",
        "Rescaled",
        "RescaleFailed",
        "HeldAtMaxCapacity",
        "AlarmWithoutData"
      })
  void everyConditionReasonSetsExactlyItsConditionTrueAndReadsBack(Reason reason) {
    SageMakerScalingPolicy resource = Fixtures.seed();

    SageMakerScalingPolicyStatus status = builder.build(resource, outcomeWith(reason));

    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Reconciling", "Stalled");
    assertThat(status.getConditions())
        .allSatisfy(
            c -> {
              assertThat(c.getReason()).isEqualTo(reason.name());
              assertThat(c.getStatus())
                  .isEqualTo(c.getType().equals(reason.condition().type()) ? "True" : "False");
              assertThat(c.getObservedGeneration()).isEqualTo(1L);
            });
    assertThat(condition(status, "Ready").getMessage()).isNotEmpty();
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(StatusBuilder.lastReason(status)).contains(reason);
  }

  @Test
  void eventOnlyReasonsAreNeverWrittenAsConditions() {
    assertThat(
            Arrays.stream(Reason.values())
                .filter(r -> r.condition() == Reason.Condition.EVENT_ONLY))
        .containsExactlyInAnyOrder(
            Reason.Applied,
            Reason.DriftCorrected,
            Reason.Deregistered,
            Reason.InvalidAnnotation,
            Reason.Unreadable,
            Reason.Rescaled,
            Reason.RescaleFailed,
            Reason.HeldAtMaxCapacity,
            Reason.AlarmWithoutData);
    assertThatThrownBy(
            () ->
                builder.build(
                    Fixtures.seed(), new Outcome.Stalled(null, null, Reason.Applied, "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void transitionTimesHoldWhileAConditionKeepsItsStatus() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    resource.setStatus(builder.build(resource, converged()));
    clock.advance(Duration.ofMinutes(5));
    resource.setStatus(builder.build(resource, converged()));

    assertThat(condition(resource.getStatus(), "Ready").getLastTransitionTime())
        .isEqualTo("2026-03-01T10:00:00Z");
    assertThat(resource.getStatus().getLastSyncTime())
        .as("a quiet pass within the hour keeps it")
        .isEqualTo("2026-03-01T10:00:00Z");

    clock.advance(Duration.ofMinutes(5));
    resource.setStatus(
        builder.build(
            resource, new Outcome.Retrying(SEED_TARGET, REGION, Reason.AwsRetrying, "throttled")));

    assertThat(condition(resource.getStatus(), "Ready").getLastTransitionTime())
        .isEqualTo("2026-03-01T10:10:00Z");
    assertThat(condition(resource.getStatus(), "Reconciling").getLastTransitionTime())
        .isEqualTo("2026-03-01T10:10:00Z");
    assertThat(condition(resource.getStatus(), "Stalled").getLastTransitionTime())
        .as("Stalled stayed False")
        .isEqualTo("2026-03-01T10:00:00Z");
    assertThat(resource.getStatus().getLastSyncTime())
        .as("AWS facts carry forward")
        .isEqualTo("2026-03-01T10:00:00Z");
  }

  @Test
  void deregisteringForgetsTheAwsFactsAndReadsAsPaused() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    resource.setStatus(builder.build(resource, converged()));

    SageMakerScalingPolicyStatus status = builder.build(resource, Outcome.deregistered());

    assertThat(status.getResourceId()).isNull();
    assertThat(status.getLastSyncTime()).isNull();
    assertThat(StatusBuilder.lastReason(status)).contains(Reason.Paused);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void theStatusPatchCarriesOnlyIdentityAndStatus() {
    SageMakerScalingPolicy resource = Fixtures.seed();

    SageMakerScalingPolicy patch = builder.statusPatch(resource, converged());

    assertThat(patch.getSpec()).isNull();
    assertThat(patch.getMetadata().getName()).isEqualTo("recommender");
    assertThat(patch.getMetadata().getNamespace()).isEqualTo("ml");
    assertThat(patch.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(patch.getStatus().getResourceId()).isEqualTo(SEED_TARGET.resourceId());
  }

  @Test
  void anUnknownReasonInAnOldStatusReadsAsNone() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    SageMakerScalingPolicyStatus status = builder.build(resource, converged());
    status.getConditions().forEach(c -> c.setReason("SomethingOlder"));

    assertThat(StatusBuilder.lastReason(status)).isEmpty();
    assertThat(StatusBuilder.lastReason(null)).isEmpty();
    assertThat(StatusBuilder.wasReady(status)).isFalse();
  }

  @Test
  void scheduledBoundsShowWhileInForceAndGoWhenTheSpecBoundsReturn() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    Outcome.Converged plain = converged();
    Outcome.Converged inWindow =
        new Outcome.Converged(
            SEED_TARGET,
            REGION,
            new EndpointStatus(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            Optional.empty(),
            Optional.of(new ScheduledBounds(4, 8, "burst-open")));

    resource.setStatus(builder.build(resource, inWindow));
    assertThat(resource.getStatus().getScheduledBounds())
        .isEqualTo(new ScheduledBoundsStatus(4, 8, "burst-open"));
    resource.setStatus(
        builder.build(
            resource, new Outcome.Retrying(SEED_TARGET, REGION, Reason.AwsRetrying, "slow")));
    assertThat(resource.getStatus().getScheduledBounds())
        .as("carried over a pass that did not look")
        .isNotNull();
    resource.setStatus(builder.build(resource, plain));
    assertThat(resource.getStatus().getScheduledBounds()).isNull();
  }
}
