package dev.sagemaker.autoscaling.simulate;

import dev.sagemaker.autoscaling.plan.DesiredState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Prints how long a replay of a week (10,080 minutes) of the seed's stack takes: parsing the CSV,
 * replaying, and rendering text, CSV and SVG. Not a test: run it with
 * src/test/sh/simulate-bench.sh.
 */
public final class SimulateBenchmark {
  private SimulateBenchmark() {}

  public static void main(String[] args) throws Exception {
    String csv = Files.readString(Path.of(args[0]));
    DesiredState seed = Replays.example("realtime-seed.yaml");
    Simulator.Settings settings = new Simulator.Settings(6, OptionalInt.empty(), 0.408);

    long t0 = System.nanoTime();
    Trace trace = Trace.parseCsv(csv);
    long t1 = System.nanoTime();
    SimulationResult result = Simulator.run(seed, trace, settings);
    long t2 = System.nanoTime();
    int chars =
        Report.text(result).length()
            + Report.csv(result).length()
            + SvgChart.render(result, "week").length();
    long t3 = System.nanoTime();
    System.out.printf(
        "first run (cold JVM): parse %d ms, replay %d ms, render %d ms (%d minutes, %d scaling"
            + " actions, %d chars)%n",
        (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000,
        (t3 - t2) / 1_000_000,
        trace.minutes(),
        result.summary().scalingActions(),
        chars);

    // The machines are shared: CPU time of this thread says what the replay costs, wall time what
    // it took.
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int rounds = 20;
    long wall = 0;
    long cpu = 0;
    for (int i = 0; i < rounds; i++) {
      long c = threads.getCurrentThreadCpuTime();
      long s = System.nanoTime();
      Simulator.run(seed, trace, settings);
      wall += System.nanoTime() - s;
      cpu += threads.getCurrentThreadCpuTime() - c;
    }
    System.out.printf(
        "warm replay: %.1f ms wall, %.1f ms CPU per week-long trace (mean of %d); load average %.1f"
            + " on %d cores%n",
        wall / 1e6 / rounds,
        cpu / 1e6 / rounds,
        rounds,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
  }
}
