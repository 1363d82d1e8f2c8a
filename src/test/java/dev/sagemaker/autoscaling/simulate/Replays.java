package dev.sagemaker.autoscaling.simulate;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.Planner;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Builds plans from manifests and traces from arrays, for the simulator's tests. */
final class Replays {
  static final Owner OWNER = new Owner("test", "default", "subject");

  private Replays() {}

  static DesiredState plan(String manifestYaml) {
    try {
      SageMakerScalingPolicy resource =
          Serialization.unmarshal(manifestYaml, SageMakerScalingPolicy.class);
      return Planner.plan(resource.getSpec(), OWNER, Optional.empty()).desiredOrThrow();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static DesiredState example(String file) {
    try {
      return plan(Files.readString(Path.of("examples", file)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Trace trace(Instant start, String column, double... values) {
    return new Trace(start, List.of(column), new double[][] {values});
  }

  static double[] constant(int minutes, double value) {
    double[] values = new double[minutes];
    Arrays.fill(values, value);
    return values;
  }

  /** values[from..to) = value */
  static double[] set(double[] values, int from, int to, double value) {
    Arrays.fill(values, from, to, value);
    return values;
  }

  static SimulationResult run(DesiredState plan, Trace trace, int delay, Integer initial) {
    return Simulator.run(
        plan,
        trace,
        new Simulator.Settings(
            delay, initial == null ? OptionalInt.empty() : OptionalInt.of(initial), null));
  }

  /** Expected per-minute values written as runs: value, count, value, count, ... */
  static int[] runs(int... valueCountPairs) {
    int total = 0;
    for (int i = 1; i < valueCountPairs.length; i += 2) {
      total += valueCountPairs[i];
    }
    int[] out = new int[total];
    int at = 0;
    for (int i = 0; i < valueCountPairs.length; i += 2) {
      Arrays.fill(out, at, at + valueCountPairs[i + 1], valueCountPairs[i]);
      at += valueCountPairs[i + 1];
    }
    return out;
  }
}
