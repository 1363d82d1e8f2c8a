package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.reconcile.Fixtures.REGION;
import static dev.sagemaker.autoscaling.reconcile.Fixtures.SEED_TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.EndpointStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which outcomes become Events: writes are Applied or DriftCorrected, quiet resyncs say nothing.
 */
class EventPolicyTest {
  private final StatusBuilder builder =
      new StatusBuilder(new Fixtures.ManualClock("2026-03-01T10:00:00Z"));

  private static Outcome.Converged converged(String... changes) {
    return new Outcome.Converged(
        SEED_TARGET,
        REGION,
        new EndpointStatus(),
        List.of(),
        List.of(),
        List.of(),
        List.of(changes),
        Optional.empty());
  }

  @Test
  void writesForANewSpecAreAppliedAndWritesToAConvergedSpecAreDrift() {
    SageMakerScalingPolicy resource = Fixtures.seed();

    assertThat(EventPolicy.noticeFor(resource, converged("PutScalingPolicy a")))
        .contains(
            new EventPolicy.Notice(
                false, Reason.Applied, "Applied 1 AWS change(s): PutScalingPolicy a"));

    resource.setStatus(builder.build(resource, converged()));
    assertThat(EventPolicy.noticeFor(resource, converged("PutScalingPolicy a")))
        .hasValueSatisfying(
            n -> {
              assertThat(n.reason()).isEqualTo(Reason.DriftCorrected);
              assertThat(n.warning()).isTrue();
            });

    resource.getMetadata().setGeneration(2L);
    assertThat(EventPolicy.noticeFor(resource, converged("PutScalingPolicy a")))
        .as("a spec change is applied, not drift")
        .hasValueSatisfying(n -> assertThat(n.reason()).isEqualTo(Reason.Applied));
  }

  @Test
  void aConvergedPassWithoutWritesIsQuiet() {
    assertThat(EventPolicy.noticeFor(Fixtures.seed(), converged())).isEmpty();
  }

  @Test
  void failuresAreWarningsWaitingAndHoldingAreNormal() {
    SageMakerScalingPolicy resource = Fixtures.seed();

    assertThat(
            EventPolicy.noticeFor(
                resource, new Outcome.Stalled(SEED_TARGET, REGION, Reason.AwsRejected, "denied")))
        .contains(new EventPolicy.Notice(true, Reason.AwsRejected, "denied"));
    assertThat(
            EventPolicy.noticeFor(
                resource,
                new Outcome.Retrying(SEED_TARGET, REGION, Reason.AwsRetrying, "throttled")))
        .contains(new EventPolicy.Notice(true, Reason.AwsRetrying, "throttled"));
    assertThat(
            EventPolicy.noticeFor(
                resource,
                new Outcome.Waiting(SEED_TARGET, REGION, Reason.EndpointNotFound, "w", null)))
        .contains(new EventPolicy.Notice(false, Reason.EndpointNotFound, "w"));
    assertThat(EventPolicy.noticeFor(resource, Outcome.paused()))
        .hasValueSatisfying(n -> assertThat(n.reason()).isEqualTo(Reason.Paused));
    assertThat(EventPolicy.noticeFor(resource, Outcome.deregistered()))
        .hasValueSatisfying(n -> assertThat(n.reason()).isEqualTo(Reason.Deregistered));
  }
}
