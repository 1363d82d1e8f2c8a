package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.ScalingStatus;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import dev.sagemaker.autoscaling.plan.ScalingActivity.NotScaledReason;
import dev.sagemaker.autoscaling.reconcile.ScalingObservation.NamedAlarmState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one-line answer and the facts behind it, pass after pass. */
class ScalingStoryTest {
  static final String PREFIX = "smsp_c_ns_seed_";
  static final String UPPER = PREFIX + "cpu-steps_upper";
  static final String LOWER = PREFIX + "cpu-steps_lower";
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final ScalingStory.Thresholds THRESHOLDS = ScalingStory.Thresholds.defaults();

  static AlarmState state(String value, Instant since) {
    return new AlarmState(value, "Threshold Crossed: test", since);
  }

  static ScalingObservation seen(
      int current,
      int desired,
      int max,
      AlarmState upper,
      AlarmState lower,
      List<ScalingActivity> activities) {
    return new ScalingObservation(
        PREFIX,
        current,
        desired,
        1,
        max,
        List.of(new NamedAlarmState(UPPER, upper), new NamedAlarmState(LOWER, lower)),
        Optional.ofNullable(activities));
  }

  static ScalingActivity scaled(String id, Instant at, int to) {
    return new ScalingActivity(
        id,
        at,
        "Successful",
        "Setting desired instance count to " + to + ".",
        "monitor alarm " + UPPER + " in state ALARM triggered policy",
        List.of());
  }

  static ScalingActivity atMax(String id, Instant at, int max) {
    return new ScalingActivity(
        id,
        at,
        "Failed",
        "Attempting to set desired instance count to " + (max + 1) + ".",
        "monitor alarm " + UPPER + " in state ALARM triggered policy",
        List.of(new NotScaledReason(NotScaledReason.AT_MAX, null, max, max)));
  }

  @Test
  void aFiringAlarmIsTheAnswerWithItsShortNameAndSince() {
    ScalingStatus s =
        ScalingStory.next(
            null,
            seen(2, 2, 4, state("ALARM", T0), state("OK", T0), List.of()),
            null,
            T0.plusSeconds(60),
            THRESHOLDS);

    assertThat(s.getSummary()).isEqualTo("Alarm cpu-steps_upper");
    assertThat(s.getSince()).isEqualTo(T0.toString());
    assertThat(s.getAlarms()).hasSize(2);
    assertThat(s.getAlarms().get(0).getState()).isEqualTo("ALARM");
    assertThat(s.getAlarms().get(0).getReason()).isEqualTo("Threshold Crossed: test");
  }

  @Test
  void aScaleOutIsNamedByTheCapacityBeforeIt() {
    ScalingStatus before =
        ScalingStory.next(
            null, seen(2, 2, 4, state("OK", T0), state("OK", T0), List.of()), null, T0, THRESHOLDS);
    assertThat(before.getSummary()).isEqualTo("Steady");

    Instant at = T0.plusSeconds(120);
    ScalingStatus after =
        ScalingStory.next(
            before,
            seen(3, 3, 4, state("OK", T0), state("OK", T0), List.of(scaled("a1", at, 3))),
            null,
            at.plusSeconds(180),
            THRESHOLDS);

    assertThat(after.getSummary()).isEqualTo("ScaledOut");
    assertThat(after.getSince()).isEqualTo(at.toString());
    assertThat(after.getLatestActivity().getActivityId()).isEqualTo("a1");
    ScalingStatus later =
        ScalingStory.next(
            after,
            seen(3, 3, 4, state("OK", T0), state("OK", T0), null),
            null,
            at.plusSeconds(3600),
            THRESHOLDS);
    assertThat(later).as("a quiet resync rewrites nothing").isEqualTo(after);
  }

  @Test
  void heldAtMaxStartsAtTheFirstRefusalAndIsDueOnlyPastTheThreshold() {
    Instant first = T0.plusSeconds(60);
    List<ScalingActivity> read =
        List.of(atMax("n2", first.plusSeconds(60), 4), atMax("n1", first, 4), scaled("a1", T0, 4));
    ScalingStatus s =
        ScalingStory.next(
            null,
            seen(4, 4, 4, state("ALARM", T0), state("OK", T0), read),
            null,
            first.plus(Duration.ofMinutes(5)),
            THRESHOLDS);

    assertThat(s.getSummary()).isEqualTo("AtMax");
    assertThat(s.getHeldAtMaxSince()).isEqualTo(first.toString());
    assertThat(s.getLatestNotScaled().getNotScaledReason()).isEqualTo("AlreadyAtMaxCapacity");
    assertThat(s.getReportedEpisodes()).isEmpty();

    ScalingStatus past =
        ScalingStory.next(
            s,
            seen(4, 4, 4, state("ALARM", T0), state("OK", T0), null),
            null,
            first.plus(Duration.ofMinutes(16)),
            THRESHOLDS);
    assertThat(past.getHeldAtMaxSince()).isEqualTo(first.toString());
    assertThat(past.getReportedEpisodes()).containsExactly("HeldAtMax@" + first);
    assertThat(ScalingStory.heldAtMaxFor(past, first.plus(Duration.ofMinutes(16))))
        .isEqualTo(Duration.ofMinutes(16));
  }

  @Test
  void theEpisodeEndsWhenTheAlarmsCalmOrCapacityDrops() {
    Instant first = T0.plusSeconds(60);
    ScalingStatus held =
        ScalingStory.next(
            null,
            seen(4, 4, 4, state("ALARM", T0), state("OK", T0), List.of(atMax("n1", first, 4))),
            null,
            first.plus(Duration.ofMinutes(20)),
            THRESHOLDS);
    assertThat(held.getReportedEpisodes()).hasSize(1);

    ScalingStatus calm =
        ScalingStory.next(
            held,
            seen(4, 4, 4, state("OK", first.plusSeconds(1500)), state("OK", T0), List.of()),
            null,
            first.plus(Duration.ofMinutes(30)),
            THRESHOLDS);
    assertThat(calm.getHeldAtMaxSince()).isNull();
    assertThat(calm.getReportedEpisodes()).isEmpty();
    assertThat(calm.getSummary()).isNotEqualTo("AtMax");

    ScalingStatus dropped =
        ScalingStory.next(
            held,
            seen(3, 3, 4, state("ALARM", T0), state("OK", T0), List.of()),
            null,
            first.plus(Duration.ofMinutes(30)),
            THRESHOLDS);
    assertThat(dropped.getHeldAtMaxSince()).isNull();
  }

  @Test
  void anAlarmWithoutDataIsDueAfterItsThreshold() {
    ScalingStatus young =
        ScalingStory.next(
            null,
            seen(1, 1, 4, state("INSUFFICIENT_DATA", T0), state("OK", T0), List.of()),
            null,
            T0.plus(Duration.ofMinutes(3)),
            THRESHOLDS);
    assertThat(young.getSummary()).isEqualTo("NoData cpu-steps_upper");
    assertThat(young.getReportedEpisodes()).isEmpty();

    ScalingStatus old =
        ScalingStory.next(
            young,
            seen(1, 1, 4, state("INSUFFICIENT_DATA", T0), state("OK", T0), null),
            null,
            T0.plus(Duration.ofMinutes(15)),
            THRESHOLDS);
    assertThat(old.getReportedEpisodes()).containsExactly("NoData cpu-steps_upper@" + T0);
  }

  @Test
  void activitiesAreReadWhenCapacityOrAnAlarmMovedAndNotOnAQuietResync() {
    ScalingObservation quiet = seen(2, 2, 4, state("OK", T0), state("OK", T0), null);
    ScalingStatus last = ScalingStory.next(null, quiet, null, T0, THRESHOLDS);

    assertThat(ScalingStory.activitiesWorthReading(null, quiet)).isTrue();
    assertThat(ScalingStory.activitiesWorthReading(last, quiet)).isFalse();
    assertThat(
            ScalingStory.activitiesWorthReading(
                last, seen(3, 3, 4, state("OK", T0), state("OK", T0), null)))
        .isTrue();
    assertThat(
            ScalingStory.activitiesWorthReading(
                last, seen(2, 2, 4, state("ALARM", T0.plusSeconds(5)), state("OK", T0), null)))
        .isTrue();
  }

  @Test
  void newActivitiesAreThoseAfterTheLastRecordedOnesOrAfterCreation() {
    Instant created = T0;
    List<ScalingActivity> read =
        List.of(
            atMax("n1", T0.plusSeconds(300), 4),
            scaled("a2", T0.plusSeconds(200), 4),
            scaled("a0", T0.minusSeconds(100), 2));

    assertThat(ScalingStory.newActivities(null, read, created))
        .extracting(ScalingActivity::activityId)
        .containsExactly("a2", "n1");

    ScalingStatus recorded =
        ScalingStory.next(
            null,
            seen(4, 4, 4, state("ALARM", T0), state("OK", T0), read),
            null,
            T0.plusSeconds(400),
            THRESHOLDS);
    assertThat(ScalingStory.newActivities(recorded, read, created)).isEmpty();
  }

  @Test
  void scheduledBoundsAreNamedAndAtMinIsTheAnswerWhenAScaleInIsRefusedThere() {
    ScalingActivity refused =
        new ScalingActivity(
            "m1",
            T0.plusSeconds(30),
            "Failed",
            "Attempting to set desired instance count to 0.",
            "monitor alarm " + LOWER + " in state ALARM triggered policy",
            List.of(new NotScaledReason(NotScaledReason.AT_MIN, 1, null, 1)));
    ScalingStatus s =
        ScalingStory.next(
            null,
            seen(1, 1, 4, state("OK", T0), state("OK", T0), List.of(refused)),
            "night",
            T0.plusSeconds(60),
            THRESHOLDS);
    assertThat(s.getSummary()).isEqualTo("AtMin");
    assertThat(s.getBoundsSetBy()).isEqualTo("night");
  }

  static final String TT_HIGH = "TargetTracking-endpoint/e/variant/prod-AlarmHigh-1b2c";
  static final String TT_LOW = "TargetTracking-endpoint/e/variant/prod-AlarmLow-3d4e";

  static ScalingObservation withTracking(AlarmState high, AlarmState low) {
    return new ScalingObservation(
        PREFIX,
        2,
        2,
        1,
        4,
        List.of(
            new NamedAlarmState(UPPER, state("OK", T0)),
            new NamedAlarmState(LOWER, state("OK", T0)),
            new NamedAlarmState(TT_HIGH, high, PREFIX + "cpu"),
            new NamedAlarmState(TT_LOW, low, PREFIX + "cpu")),
        Optional.empty());
  }

  @Test
  void aTargetTrackingAlarmLowInAlarmIsAwsNormalStateNotTheAnswer() {
    ScalingStatus s =
        ScalingStory.next(
            null,
            withTracking(state("OK", T0), state("ALARM", T0)),
            null,
            T0.plusSeconds(60),
            THRESHOLDS);

    assertThat(s.getSummary()).isEqualTo("Steady");
    assertThat(s.getAlarms())
        .filteredOn(a -> a.getTargetTrackingPolicy() != null)
        .extracting(a -> a.getName() + " " + a.getState() + " " + a.getTargetTrackingPolicy())
        .containsExactly(TT_HIGH + " OK " + PREFIX + "cpu", TT_LOW + " ALARM " + PREFIX + "cpu");
  }

  @Test
  void aTargetTrackingAlarmHighInAlarmIsTheAnswerByItsPolicy() {
    ScalingStatus s =
        ScalingStory.next(
            null,
            withTracking(state("ALARM", T0), state("OK", T0)),
            null,
            T0.plusSeconds(60),
            THRESHOLDS);

    assertThat(s.getSummary()).isEqualTo("Alarm cpu_AlarmHigh");
    assertThat(s.getSince()).isEqualTo(T0.toString());
  }

  @Test
  void aTargetTrackingAlarmWithoutDataShowsButIsNoWarningEpisode() {
    AlarmState noData = new AlarmState("INSUFFICIENT_DATA", "no datapoints", T0);
    ScalingStatus early =
        ScalingStory.next(null, withTracking(noData, noData), null, T0.plusSeconds(60), THRESHOLDS);
    assertThat(early.getSummary()).isEqualTo("NoData cpu_AlarmHigh");
    assertThat(early.getReportedEpisodes()).isEmpty();

    ScalingStatus late =
        ScalingStory.next(
            early,
            withTracking(noData, noData),
            null,
            T0.plus(THRESHOLDS.alarmWithoutData()),
            THRESHOLDS);
    // AWS's alarm, AWS's period: no spec change can fix it, and an endpoint without traffic
    // publishes no invocation metric. The status says NoData; no Warning is due.
    assertThat(late.getSummary()).isEqualTo("NoData cpu_AlarmHigh");
    assertThat(late.getReportedEpisodes()).isEmpty();
  }

  @Test
  void aTargetTrackingAlarmLowInAlarmAtMaxIsNoPressure() {
    ScalingObservation atMax =
        new ScalingObservation(
            PREFIX,
            4,
            4,
            1,
            4,
            List.of(
                new NamedAlarmState(TT_HIGH, state("OK", T0), PREFIX + "cpu"),
                new NamedAlarmState(TT_LOW, state("ALARM", T0), PREFIX + "cpu")),
            Optional.of(List.of(atMax("n1", T0.minusSeconds(60), 4))));

    ScalingStatus s = ScalingStory.next(null, atMax, null, T0.plusSeconds(60), THRESHOLDS);

    assertThat(s.getHeldAtMaxSince()).isNull();
    assertThat(ScalingStory.activitiesWorthReading(s, atMax))
        .as("an AlarmLow that fires for hours does not make every resync read activities")
        .isFalse();
  }
}
