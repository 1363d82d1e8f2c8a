package dev.sagemaker.autoscaling.simulate;

import static dev.sagemaker.autoscaling.simulate.Replays.constant;
import static dev.sagemaker.autoscaling.simulate.Replays.run;
import static dev.sagemaker.autoscaling.simulate.Replays.runs;
import static dev.sagemaker.autoscaling.simulate.Replays.set;
import static dev.sagemaker.autoscaling.simulate.Replays.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.plan.DesiredState;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Hand-computed timelines: each expected minute follows from the AWS rules in docs/simulate.md. */
class SimulatorTest {
  private static final Instant NINE = Instant.parse("2026-11-02T09:00:00Z");

  private static final DesiredState REQUESTS =
      Replays.plan(
          """
          apiVersion: autoscaling.sagemaker.dev/v1alpha1
          kind: SageMakerScalingPolicy
          metadata: {name: subject}
          spec:
            modelType: RealTime
            target: {endpointName: ep, variantName: prod}
            minCapacity: 1
            maxCapacity: 10
            targetTracking:
              - {name: requests, metric: InvocationsPerInstance, targetValue: 1000}
          """);

  /**
   * The seed's cpu-steps alone: lower alarm at <= 30 (-1), upper at >= 70 (+1 to 100, +2 above).
   * The alarm period (1 minute) and the cooldown (300 s, the AWS default) are stated, so every
   * minute of a ramp is its own datapoint and the test checks band edges and cooldowns whatever the
   * planner's defaults become.
   */
  private static final DesiredState CPU_STEPS =
      Replays.plan(
          """
          apiVersion: autoscaling.sagemaker.dev/v1alpha1
          kind: SageMakerScalingPolicy
          metadata: {name: subject}
          spec:
            modelType: RealTime
            target: {endpointName: ep, variantName: prod}
            minCapacity: 1
            maxCapacity: 20
            stepScaling:
              - name: cpu-steps
                metric: CPUUtilization
                adjustmentType: ChangeInCapacity
                cooldownSeconds: 300
                alarm: {periodSeconds: 60}
                steps:
                  - {upper: 30, change: -1}
                  - {lower: 60, change: 0}
                  - {lower: 70, upper: 100, change: 1}
                  - {lower: 100, change: 2}
          """);

  @Test
  void aStepInLoadScalesOutAfterThreeMinutesAndInAfterFifteenBelowTheLowerThreshold() {
    // 500 a minute, 2,500 from minute 10, 500 again from minute 40; new instances serve 2 minutes
    // after launch.
    double[] load = set(set(constant(50, 500), 10, 40, 2500), 40, 50, 500);
    SimulationResult result = run(REQUESTS, trace(NINE, "Invocations", load), 2, null);

    // Minutes 10, 11, 12 are above 1,000 per instance: at 12 AlarmHigh has 3 of 3 and ceil(1 × 2500
    // / 1000) = 3.
    // From 14 three instances serve 833.3 each: below 900 (90% of the target) for 15 minutes puts
    // AlarmLow in
    // ALARM at 28, but ceil(3 × 833.3 / 1000) = 3 removes nothing. At 40, 166.7 each: ceil(3 ×
    // 166.7 / 1000) = 1.
    assertThat(result.desired()).containsExactly(runs(1, 12, 3, 28, 1, 10));
    assertThat(result.inService()).containsExactly(runs(1, 14, 3, 27, 1, 9));
    assertThat(result.action()[12])
        .startsWith(
            "requests: InvocationsPerInstance 2500 > 1000 for 3 min, ceil(1 × 2500 / 1000) = 3");
    assertThat(result.action()[40])
        .startsWith(
            "requests: InvocationsPerInstance 166.667 < 900 for 15 min, ceil(3 × 166.667 / 1000) ="
                + " 1");
    assertThat(result.reason()[13]).contains("capacity launching already covers it");
    assertThat(result.summary().scaleOuts()).isEqualTo(1);
    assertThat(result.summary().scaleIns()).isEqualTo(1);
    // Minutes 10 to 13 ran above the target: one instance carried 2,500.
    assertThat(result.summary().minutesAboveTarget()).containsEntry("requests", 4);
    assertThat(result.summary().capacityHours()).isEqualTo((12 * 1 + 28 * 3 + 10 * 1) / 60.0);
  }

  @Test
  void aSpikeShorterThanTheEvaluationWindowCausesNoAction() {
    double[] twoMinutes = set(constant(30, 500), 10, 12, 5000);
    SimulationResult result = run(REQUESTS, trace(NINE, "Invocations", twoMinutes), 2, null);
    assertThat(result.desired()).containsOnly(1);
    assertThat(result.action()).containsOnlyNulls();
    assertThat(result.reason()[11]).isEqualTo("no alarm in ALARM");

    double[] threeMinutes = set(constant(30, 500), 10, 13, 5000);
    SimulationResult longer = run(REQUESTS, trace(NINE, "Invocations", threeMinutes), 2, null);
    assertThat(longer.desired()[11]).isEqualTo(1);
    assertThat(longer.desired()[12]).isEqualTo(5);
  }

  @Test
  void aRampThroughEverySeedStepBandFiresEachBandsChangeAndHonoursTheCooldowns() {
    // Launches take longer than the trace, so one instance serves throughout and the per-instance
    // CPU is the total.
    double[] cpu = {20, 45, 69.99, 70, 99.99, 100, 150, 50, 30.01, 30, 10, 10, 10, 10, 10};
    SimulationResult result = run(CPU_STEPS, trace(NINE, "CPUUtilization", cpu), 1000, null);

    // 3 (70): +1, 1 -> 2, and the upper policy's 300 s cooldown runs to minute 8. Inside it AWS
    // counts the capacity
    // the initiating scale-out added: 4 (99.99) asks +1 from 1 = 2, already there; 5 (100) asks +2
    // from 1 = 3, so
    // it adds one more; 6 (150) asks +2 from 1 = 3 again, already there. 7 (50) and 8 (30.01)
    // breach neither alarm.
    // 9 (30): the lower policy removes one, 3 -> 2, and its own 300 s cooldown blocks minutes 10 to
    // 13; at 14,
    // still 10, it removes another, 2 -> 1.
    assertThat(result.desired()).containsExactly(1, 1, 1, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2, 2, 1);
    assertThat(result.inService()).containsOnly(1);
    // 20 is in the -1 band, but one instance is the minimum.
    assertThat(result.reason()[0]).contains("would scale in to 0, but the minimum is 1");
    assertThat(result.reason()[2]).isEqualTo("no alarm in ALARM");
    assertThat(result.action()[3])
        .contains("cpu-steps_upper")
        .contains("step +1")
        .contains("capacity 1 -> 2");
    assertThat(result.reason()[4])
        .contains("cpu-steps_upper: in cooldown, the last scale-out already added this step");
    assertThat(result.action()[5]).contains("step +2").contains("capacity 2 -> 3");
    assertThat(result.reason()[6])
        .contains("cpu-steps_upper: in cooldown, the last scale-out already added this step");
    assertThat(result.reason()[8]).isEqualTo("no alarm in ALARM");
    // 30 itself fires the lower alarm (LessThanOrEqualToThreshold).
    assertThat(result.action()[9])
        .contains("cpu-steps_lower")
        .contains("step -1")
        .contains("capacity 3 -> 2");
    assertThat(result.reason()[10]).contains("cpu-steps_lower: cooldown until 2026-11-02 09:14");
    assertThat(result.action()[14]).contains("capacity 2 -> 1");
  }

  @Test
  void aScheduleWindowRaisesAndLowersTheBoundsInItsTimeZone() {
    // cron(0 1 * * ? *) and cron(0 5 * * ? *) in Europe/Berlin are 00:00 and 04:00 UTC in November.
    DesiredState batch = Replays.example("batch-scheduled.yaml");
    Instant start = Instant.parse("2026-11-01T23:00:00Z");
    SimulationResult result =
        run(batch, trace(start, "CPUUtilization", constant(360, 40)), 3, null);

    assertThat(result.minCapacity()).containsExactly(runs(1, 60, 4, 240, 1, 60));
    assertThat(result.maxCapacity()).containsExactly(runs(2, 60, 8, 240, 2, 60));
    // The opening raises capacity to the new minimum; target tracking cannot go below it (10 % CPU
    // each on 4).
    // The closing clamps 4 to the new maximum 2, and target tracking, whose AlarmLow has been in
    // ALARM all
    // along, removes one more in the same minute: ceil(2 × 20 / 75) = 1.
    assertThat(result.desired()).containsExactly(runs(1, 60, 4, 240, 1, 60));
    assertThat(result.inService()).containsExactly(runs(1, 63, 4, 237, 2, 1, 1, 59));
    assertThat(result.action()[60]).isEqualTo("schedule burst-open: min 4, max 8, capacity 1 -> 4");
    assertThat(result.action()[300])
        .startsWith(
            "schedule burst-close: min 1, max 2, capacity 4 -> 2; cpu: CPUUtilization 20 < 67.5");
    assertThat(result.reason()[100]).contains("would scale in to 1, but the minimum is 4");
    assertThat(result.summary().scheduledActions()).isEqualTo(2);
  }

  @Test
  void aBacklogAtZeroCapacityScalesFromZeroThenTargetTrackingTakesOverAndReturnsToZero() {
    DesiredState async = Replays.example("async-backlog.yaml");
    double[] backlog = set(set(constant(40, 0), 5, 20, 30), 20, 40, 0);
    SimulationResult result = run(async, trace(NINE, "ApproximateBacklogSize", backlog), 4, null);

    // HasBacklogWithoutCapacity is 1 from minute 5; its alarm needs 2 of 2, so the step policy adds
    // one at 6.
    // Its 300 s cooldown counts that instance while it launches, so minutes 7 to 9 add nothing
    // more. From 10 one
    // instance sees 30 queued (target 5): AlarmHigh at 12, ceil(1 × 30 / 5) = 6, capped at the
    // maximum 5. The
    // queue empties at 20; 15 minutes of 0 per instance put AlarmLow in ALARM at 34: ceil(5 × 0 /
    // 5) = 0.
    assertThat(result.desired()).containsExactly(runs(0, 6, 1, 6, 5, 22, 0, 6));
    assertThat(result.inService()).containsExactly(runs(0, 10, 1, 6, 5, 19, 0, 5));
    assertThat(result.action()[6])
        .startsWith("ScaleFromZero: alarm HasBacklogWithoutCapacity >= 1 in 2 of 2 periods");
    assertThat(result.reason()[8]).contains("the last scale-out already added this step");
    assertThat(result.action()[12]).endsWith("capacity 1 -> 5 (maximum)");
    assertThat(result.summary().minutesWithoutCapacity()).isEqualTo(5);
    assertThat(result.summary().minutesAtMax()).isEqualTo(22);
  }

  @Test
  void suspendedScaleOutKeepsCapacityAndSaysWhy() {
    DesiredState suspended =
        Replays.plan(
            """
            apiVersion: autoscaling.sagemaker.dev/v1alpha1
            kind: SageMakerScalingPolicy
            metadata: {name: subject}
            spec:
              modelType: RealTime
              target: {endpointName: ep}
              minCapacity: 1
              maxCapacity: 10
              suspend: {scaleOut: true}
              targetTracking:
                - {name: requests, metric: InvocationsPerInstance, targetValue: 1000}
            """);
    SimulationResult result =
        run(suspended, trace(NINE, "Invocations", constant(10, 3000)), 2, null);
    assertThat(result.desired()).containsOnly(1);
    assertThat(result.reason()[5]).contains("scale-out is suspended");
    assertThat(result.notes())
        .contains("dynamic scale-out is suspended: policies never add capacity");
  }

  @Test
  void aPolicyWhoseMetricIsMissingFromTheTraceNeverActsAndHoldsScaleIn() {
    DesiredState seed = Replays.example("realtime-seed.yaml");
    SimulationResult result = run(seed, trace(NINE, "Invocations", constant(60, 100)), 2, 3);
    assertThat(result.notes()).anyMatch(n -> n.contains("no column MemoryUtilization"));
    // requests is far below its target, but memory never agrees to scale in.
    assertThat(result.desired()).containsOnly(3);
    assertThat(result.reason()[30]).contains("every target-tracking policy is ready to scale in");
  }

  @Test
  void theSummaryCountsCostAndOverload() {
    double[] load = set(constant(120, 500), 30, 60, 4000);
    SimulationResult result =
        Simulator.run(
            REQUESTS,
            trace(NINE, "Invocations", load),
            new Simulator.Settings(6, OptionalInt.empty(), 0.5));
    Summary summary = result.summary();
    double capacityMinutes = IntStream.of(result.desired()).sum();
    assertThat(summary.capacityHours()).isEqualTo(capacityMinutes / 60);
    assertThat(summary.cost()).isEqualTo(capacityMinutes / 60 * 0.5);
    assertThat(summary.peakMetric()).containsEntry("InvocationsPerInstance", 4000.0);
    // 4,000 on one instance from 30; 4 launched at 32 serve from 38 at exactly 1,000 (not above the
    // target).
    assertThat(summary.minutesAboveTarget()).containsEntry("requests", 8);
  }
}
