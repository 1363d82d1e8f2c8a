package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.reconcile.Fixtures.REGION;
import static dev.sagemaker.autoscaling.reconcile.Fixtures.SEED_TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.EndpointStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import dev.sagemaker.autoscaling.plan.ScalingActivity.NotScaledReason;
import dev.sagemaker.autoscaling.reconcile.ScalingObservation.NamedAlarmState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The scaling Events: one per new activity, one Warning per episode, none on a repeat pass. */
class ScalingNoticesTest {
  private static final Instant CREATED = Instant.parse("2026-03-01T09:00:00Z");
  private static final String UPPER = "smsp_c_ns_seed_cpu-steps_upper";
  private final Fixtures.ManualClock clock = new Fixtures.ManualClock("2026-03-01T10:00:00Z");
  private final StatusBuilder builder = new StatusBuilder(clock);

  private static Outcome.Converged pass(int current, List<ScalingActivity> read) {
    return new Outcome.Converged(
        SEED_TARGET,
        REGION,
        new EndpointStatus(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        new ScalingObservation(
            "smsp_c_ns_seed_",
            current,
            current,
            1,
            3,
            List.of(new NamedAlarmState(UPPER, new AlarmState("ALARM", "test", CREATED))),
            Optional.ofNullable(read)));
  }

  /** One pass: the notices it gives, then its status becomes the resource's. */
  private List<EventPolicy.Notice> run(SageMakerScalingPolicy resource, Outcome outcome) {
    var next = builder.build(resource, outcome);
    List<EventPolicy.Notice> notices = EventPolicy.scalingNotices(resource, outcome, next);
    resource.setStatus(next);
    return notices;
  }

  @Test
  void eachActivityOnceAndEachHeldAtMaxEpisodeOnce() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    resource.getMetadata().setCreationTimestamp(CREATED.toString());
    ScalingActivity scaledOut =
        new ScalingActivity(
            "a1",
            CREATED.plusSeconds(600),
            "Successful",
            "Setting desired instance count to 3.",
            "monitor alarm " + UPPER + " in state ALARM triggered policy",
            List.of());
    ScalingActivity refused =
        new ScalingActivity(
            "n1",
            CREATED.plusSeconds(900),
            "Failed",
            "Attempting to set desired instance count to 4.",
            "monitor alarm " + UPPER + " in state ALARM triggered policy",
            List.of(new NotScaledReason(NotScaledReason.AT_MAX, null, 3, 3)));

    List<EventPolicy.Notice> first = run(resource, pass(3, List.of(refused, scaledOut)));
    assertThat(first)
        .extracting(EventPolicy.Notice::reason)
        .containsExactly(Reason.Rescaled, Reason.HeldAtMaxCapacity);
    assertThat(first.get(0).warning()).isFalse();
    assertThat(first.get(0).message()).contains("Setting desired instance count to 3.");
    assertThat(first.get(1).warning()).isTrue();
    assertThat(first.get(1).message()).contains("maxCapacity 3").contains("AlreadyAtMaxCapacity");

    assertThat(run(resource, pass(3, List.of(refused, scaledOut)))).isEmpty();
    clock.advance(Duration.ofMinutes(30));
    assertThat(run(resource, pass(3, null))).as("a later resync of the same episode").isEmpty();
  }
}
