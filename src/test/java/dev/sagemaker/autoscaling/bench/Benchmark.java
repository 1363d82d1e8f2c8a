package dev.sagemaker.autoscaling.bench;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;

/**
 * The benchmark of issue 6: {@code Benchmark <N>} measures one fleet size against a real API server
 * and moto and writes docs/benchmarks/results-N.md; {@code Benchmark combine} rebuilds results.md
 * and each run's page from the JSON files. Run it through src/test/sh/bench.sh, which builds the
 * jar and gives it a private network.
 *
 * <p>Environment: BENCH_RESYNC_PERIOD (seconds; default from {@link #defaultResync}),
 * BENCH_MAX_MINUTES (whole run, default 40), BENCH_COMMIT (recorded in the results), BENCH_FLEET
 * (seed, the default, or target-tracking: the seed's three target-tracking policies only).
 */
public final class Benchmark {
  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: Benchmark <N> | Benchmark combine");
      System.exit(2);
    }
    if (args[0].equals("combine")) {
      ResultsFiles.combine();
      return;
    }
    requirePrivateNetwork();
    int n = Integer.parseInt(args[0]);
    Duration resync =
        System.getenv("BENCH_RESYNC_PERIOD") == null
            ? defaultResync(n)
            : Duration.ofSeconds(Long.parseLong(System.getenv("BENCH_RESYNC_PERIOD")));
    Duration budget =
        Duration.ofMinutes(Long.parseLong(System.getenv().getOrDefault("BENCH_MAX_MINUTES", "40")));
    int status = 0;
    try {
      Fleet.Variant fleet =
          Fleet.Variant.of(System.getenv().getOrDefault("BENCH_FLEET", Fleet.Variant.SEED.label));
      new BenchmarkRun(n, fleet, resync, budget).execute();
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // The API server, etcd and moto stop in TestEnvironment's shutdown hook.
    System.exit(status);
  }

  /**
   * Long enough that no resource's first resync starts before the last one has converged (so the
   * converging counts hold first passes only), short enough to measure a whole resync in minutes.
   */
  static Duration defaultResync(int n) {
    return Duration.ofSeconds(Math.max(30, n * 3L / 10));
  }

  /**
   * The operator's metrics server binds every interface, and this machine's rule is loopback only:
   * bench.sh runs the benchmark in a network namespace of its own, where loopback is all there is.
   */
  private static void requirePrivateNetwork() throws SocketException {
    boolean onlyLoopback =
        NetworkInterface.networkInterfaces()
            .allMatch(
                i -> {
                  try {
                    return i.isLoopback() || !i.isUp();
                  } catch (SocketException e) {
                    return false;
                  }
                });
    if (!onlyLoopback) {
      throw new IllegalStateException(
          "run through src/test/sh/bench.sh: the operator's metrics port must not be reachable from"
              + " outside");
    }
  }
}
