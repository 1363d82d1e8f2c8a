package dev.sagemaker.autoscaling.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.StepBands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the replay over random traces through the seed's stack and its schedules. */
class SimulatorProperties {
  private static final DesiredState SEED = Replays.example("realtime-seed.yaml");
  private static final DesiredState BATCH = Replays.example("batch-scheduled.yaml");
  private static final Instant START = Instant.parse("2026-11-01T22:30:00Z");
  private static final List<String> TRACKING = List.of("requests", "cpu", "memory");

  /** Piecewise-constant load: the seed's three columns, levels held 1 to 30 minutes. */
  record Load(double[] invocations, double cpuPerInvocation) {
    Trace trace() {
      int n = invocations.length;
      double[] cpu = new double[n];
      double[] memory = new double[n];
      for (int i = 0; i < n; i++) {
        cpu[i] = invocations[i] * cpuPerInvocation;
        memory[i] = invocations[i] * 0.03;
      }
      return new Trace(
          START,
          List.of("Invocations", "CPUUtilization", "MemoryUtilization"),
          new double[][] {invocations.clone(), cpu, memory});
    }
  }

  @Provide
  Arbitrary<Load> loads() {
    Arbitrary<double[]> segments =
        Combinators.combine(
                Arbitraries.doubles().between(0, 6000).ofScale(1),
                Arbitraries.integers().between(1, 30))
            .as((level, length) -> new double[] {level, length})
            .list()
            .ofMinSize(1)
            .ofMaxSize(20)
            .map(
                list -> {
                  List<Double> values = new ArrayList<>();
                  for (double[] segment : list) {
                    for (int i = 0; i < (int) segment[1]; i++) {
                      values.add(segment[0]);
                    }
                  }
                  return values.stream().mapToDouble(Double::doubleValue).toArray();
                });
    return Combinators.combine(segments, Arbitraries.doubles().between(0.02, 0.12)).as(Load::new);
  }

  private static DesiredState withBounds(DesiredState plan, int min, int max) {
    ScalableTarget t = plan.target();
    return new DesiredState(
        new ScalableTarget(t.key(), min, max, t.suspension()),
        plan.policies(),
        plan.alarms(),
        plan.scheduledActions(),
        plan.tags());
  }

  @Property(tries = 150)
  void capacityStaysWithinTheBoundsInForceEveryMinute(
      @ForAll("loads") Load load,
      @ForAll @IntRange(min = 0, max = 4) int min,
      @ForAll @IntRange(min = 0, max = 8) int extra,
      @ForAll @IntRange(min = 0, max = 12) int initial,
      @ForAll @IntRange(min = 0, max = 10) int delay,
      @ForAll boolean scheduled) {
    DesiredState plan =
        withBounds(scheduled ? BATCH : SEED, Math.max(min, 1), Math.max(min, 1) + extra);
    SimulationResult result =
        Simulator.run(
            plan, load.trace(), new Simulator.Settings(delay, OptionalInt.of(initial), null));
    for (int m = 0; m < result.minutes(); m++) {
      assertThat(result.desired()[m])
          .as("minute %d", m)
          .isBetween(result.minCapacity()[m], result.maxCapacity()[m]);
      // What serves was launched earlier (or by a schedule this minute) and is not more than was
      // asked for.
      int asked = Math.max(result.desired()[m], m == 0 ? initial : result.desired()[m - 1]);
      assertThat(result.inService()[m]).as("minute %d", m).isBetween(0, asked);
    }
  }

  @Property(tries = 150)
  void noPolicyScalesInAgainInsideItsCooldownUnlessAScaleOutInterrupted(
      @ForAll("loads") Load load, @ForAll @IntRange(min = 0, max = 8) int delay) {
    SimulationResult result =
        Simulator.run(
            withBounds(SEED, 1, 8),
            load.trace(),
            new Simulator.Settings(delay, OptionalInt.of(4), null));
    // The seed leaves cooldowns to AWS: 300 s for target tracking's scale-in and for the lower step
    // policy.
    int lastTrackingIn = -1_000;
    int lastStepIn = -1_000;
    int lastOut = -1_000;
    for (int m = 0; m < result.minutes(); m++) {
      String action = result.action()[m];
      if (action == null) {
        continue;
      }
      int before = m == 0 ? 4 : result.desired()[m - 1];
      if (result.desired()[m] > before) {
        lastOut = m;
      } else if (result.desired()[m] < before) {
        String policy = action.substring(0, action.indexOf(':'));
        if (policy.equals("cpu-steps_lower")) {
          assertThat(m - lastStepIn >= 5 || lastOut > lastStepIn)
              .as("step scale-in at %d after %d", m, lastStepIn)
              .isTrue();
          lastStepIn = m;
        } else {
          assertThat(TRACKING).contains(policy);
          assertThat(m - lastTrackingIn >= 5 || lastOut > lastTrackingIn)
              .as("tracking scale-in at %d after %d", m, lastTrackingIn)
              .isTrue();
          lastTrackingIn = m;
        }
      }
    }
  }

  @Property(tries = 200)
  void moreLoadInTheLastMinuteNeverYieldsLessCapacityAfterTheSameHistory(
      @ForAll("loads") Load load,
      @ForAll @DoubleRange(min = 1, max = 4) double factor,
      @ForAll @IntRange(min = 0, max = 8) int delay) {
    Trace lower = load.trace();
    double[] more = load.invocations().clone();
    more[more.length - 1] *= factor;
    Trace higher = new Load(more, load.cpuPerInvocation()).trace();
    Simulator.Settings settings = new Simulator.Settings(delay, OptionalInt.of(2), null);
    SimulationResult a = Simulator.run(withBounds(SEED, 1, 8), lower, settings);
    SimulationResult b = Simulator.run(withBounds(SEED, 1, 8), higher, settings);
    int last = a.minutes() - 1;
    assertThat(b.desired()[last]).isGreaterThanOrEqualTo(a.desired()[last]);
  }

  @Property(tries = 400)
  void theSeedStepBandsFireTheChangeThePlannersBandSplitPredicts(
      @ForAll @DoubleRange(min = 0, max = 250) double cpu) throws Exception {
    assertThat(stepChangeAt(cpu)).isEqualTo(predicted(cpu));
  }

  @Property(tries = 1)
  void atEveryBandEdgeTooExceptTheLowerThresholdItselfWhichAwsIncludes(
      @ForAll @IntRange(min = 0, max = 0) int unused) throws Exception {
    for (double edge :
        new double[] {0, 29.999, 30.001, 59.999, 60, 69.999, 70, 99.999, 100, 100.001}) {
      assertThat(stepChangeAt(edge)).as("cpu %s", edge).isEqualTo(predicted(edge));
    }
    // The band {upper: 30} ends before 30, but the lower alarm is LessThanOrEqualToThreshold 30, as
    // the CDK
    // creates it: at exactly 30 AWS removes an instance.
    assertThat(predicted(30)).isZero();
    assertThat(stepChangeAt(30)).isEqualTo(-1);
  }

  /**
   * The change the seed's step policies make when one alarm period of a constant per-instance CPU
   * value closes, from capacity 4. The seed leaves the period to the CDK default (300 s): nothing
   * may change before the period's last minute, when the alarm first has a datapoint.
   */
  private static int stepChangeAt(double cpu) {
    DesiredState stepsOnly =
        new DesiredState(
            new ScalableTarget(SEED.target().key(), 0, 100, SEED.target().suspension()),
            SEED.policies().stream().filter(p -> p.name().contains("cpu-steps")).toList(),
            SEED.alarms(),
            List.of(),
            SEED.tags());
    int periodMinutes =
        SEED.alarms().stream()
            .filter(a -> a.policyName().contains("cpu-steps"))
            .mapToInt(a -> a.periodSeconds() / 60)
            .distinct()
            .reduce(
                (a, b) -> {
                  throw new AssertionError("the seed's step alarms have different periods");
                })
            .orElseThrow();
    // 4 instances: cpu × 4 / 4 is exactly cpu in floating point; the period's mean of equal values
    // is cpu to
    // within an ulp, and exactly cpu at the integer band edges.
    Trace trace = Replays.trace(START, "CPUUtilization", Replays.constant(periodMinutes, cpu * 4));
    SimulationResult result =
        Simulator.run(stepsOnly, trace, new Simulator.Settings(0, OptionalInt.of(4), null));
    for (int m = 0; m < periodMinutes - 1; m++) {
      assertThat(result.desired()[m])
          .as("minute %d, before the first period closes", m)
          .isEqualTo(4);
    }
    return result.desired()[periodMinutes - 1] - 4;
  }

  /**
   * The change of the band holding the value, as the planner normalizes the seed's bands (no-change
   * is 0).
   */
  private static int predicted(double cpu) throws StepBands.InvalidBandsException {
    List<StepBands.CompleteBand> bands =
        StepBands.normalize(
            List.of(
                new StepBands.Band(null, 30.0, -1),
                new StepBands.Band(60.0, null, 0),
                new StepBands.Band(70.0, 100.0, 1),
                new StepBands.Band(100.0, null, 2)),
            false);
    StepBands.split(bands);
    for (StepBands.CompleteBand band : bands) {
      if (cpu >= band.lower() && cpu < band.upper()) {
        return band.change() == null ? 0 : band.change();
      }
    }
    throw new AssertionError("no band holds " + cpu);
  }
}
