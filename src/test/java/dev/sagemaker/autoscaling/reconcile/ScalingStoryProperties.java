package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.ScalingStatus;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import dev.sagemaker.autoscaling.plan.ScalingActivity.NotScaledReason;
import dev.sagemaker.autoscaling.reconcile.ScalingObservation.NamedAlarmState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Over any capacities, alarm states and activity histories: the summary is always an answer with a
 * time, a quiet resync rewrites nothing, and a Warning episode is due only past its threshold.
 */
class ScalingStoryProperties {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String PREFIX = "smsp_c_ns_seed_";

  @Property(tries = 300)
  void theAnswerIsAlwaysThereAndAQuietResyncKeepsIt(
      @ForAll("observations") ScalingObservation seen,
      @ForAll @IntRange(min = 0, max = 7200) int laterSeconds) {
    Instant now = T0.plusSeconds(3600);
    ScalingStory.Thresholds thresholds = ScalingStory.Thresholds.defaults();
    ScalingStatus first = ScalingStory.next(null, seen, null, now, thresholds);

    assertThat(first.getSummary()).isNotBlank();
    assertThat(ScalingStory.instant(first.getSince())).isPresent();
    assertThat(ScalingStory.newActivities(first, seen.activities().orElse(List.of()), T0))
        .as("everything read is recorded")
        .isEmpty();

    ScalingObservation quiet =
        new ScalingObservation(
            seen.alarmPrefix(),
            seen.currentCapacity(),
            seen.desiredCapacity(),
            seen.minCapacity(),
            seen.maxCapacity(),
            seen.alarms(),
            Optional.empty());
    boolean firingSinceLastActivity =
        first.getAlarms().stream()
            .anyMatch(
                a ->
                    "ALARM".equals(a.getState())
                        && seen.activities().orElse(List.of()).stream()
                            .noneMatch(
                                act -> !act.startTime().isBefore(Instant.parse(a.getSince()))));
    assertThat(ScalingStory.activitiesWorthReading(first, quiet))
        .as(
            "a quiet resync reads activities only while capacity moves or an alarm fires"
                + " unanswered")
        .isEqualTo(
            !seen.currentCapacity().equals(seen.desiredCapacity()) || firingSinceLastActivity);
    ScalingStatus again = ScalingStory.next(first, quiet, null, now, thresholds);
    assertThat(again).isEqualTo(first);

    Instant later = now.plusSeconds(laterSeconds);
    ScalingStatus aged = ScalingStory.next(first, quiet, null, later, thresholds);
    assertThat(aged.getSummary()).isEqualTo(first.getSummary());
    assertThat(aged.getSince()).isEqualTo(first.getSince());
    assertThat(aged.getHeldAtMaxSince()).isEqualTo(first.getHeldAtMaxSince());
    boolean heldLongEnough =
        ScalingStory.heldAtMaxFor(aged, later).compareTo(thresholds.heldAtMax()) >= 0;
    assertThat(aged.getReportedEpisodes().stream().anyMatch(e -> e.startsWith("HeldAtMax@")))
        .isEqualTo(aged.getHeldAtMaxSince() != null && heldLongEnough);
  }

  @Provide
  Arbitrary<ScalingObservation> observations() {
    Arbitrary<Integer> capacity = Arbitraries.integers().between(0, 6);
    Arbitrary<AlarmState> state =
        Combinators.combine(
                Arbitraries.of(AlarmState.OK, AlarmState.ALARM, AlarmState.INSUFFICIENT_DATA),
                Arbitraries.integers().between(0, 3600))
            .as((v, s) -> new AlarmState(v, "reason", T0.plusSeconds(s)))
            .injectNull(0.1);
    Arbitrary<List<NamedAlarmState>> alarms =
        Combinators.combine(state, state)
            .as(
                (u, l) ->
                    List.of(
                        new NamedAlarmState(PREFIX + "cpu_upper", u),
                        new NamedAlarmState(PREFIX + "cpu_lower", l)))
            .injectNull(0.2)
            .map(a -> a == null ? List.<NamedAlarmState>of() : a);
    Arbitrary<ScalingActivity> activity =
        Combinators.combine(
                Arbitraries.integers().between(0, 3600),
                Arbitraries.of(
                    "", NotScaledReason.AT_MAX, NotScaledReason.AT_MIN, "AlreadyAtDesiredCapacity"),
                capacity)
            .as(
                (at, code, to) ->
                    new ScalingActivity(
                        "id-" + at + code,
                        T0.plusSeconds(at),
                        code.isEmpty() ? "Successful" : "Failed",
                        "Setting desired instance count to " + to + ".",
                        "cause",
                        code.isEmpty() ? List.of() : List.of(new NotScaledReason(code, 1, 4, to))));
    Arbitrary<Optional<List<ScalingActivity>>> activities =
        activity.list().ofMaxSize(6).uniqueElements(ScalingActivity::startTime).optional();
    return Combinators.combine(capacity, capacity, capacity, capacity, alarms, activities)
        .as(
            (cur, des, min, max, al, acts) ->
                new ScalingObservation(PREFIX, cur, des, min, Math.max(min, max), al, acts));
  }
}
