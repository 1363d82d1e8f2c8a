package dev.sagemaker.autoscaling.bench;

import java.time.Duration;

/**
 * One full resync with nothing to change: every resource is passed once by the operator's periodic
 * reconciliation (RESYNC_PERIOD), and the calls in that window are its steady-state cost. Passes
 * are the operator's own count: a pass that changes nothing writes no status, so the API server
 * does not see it.
 */
final class SteadyStatePhase {
  private SteadyStatePhase() {}

  static BenchmarkResult.SteadyState run(
      Rig rig, OperatorProcess operator, Duration resync, Duration timeout) throws Exception {
    int n = rig.fleet().size();
    // At small N the passes bunch together, so a quiet moment comes and no pass straddles the
    // start.
    // At large N they spread over the period and none may come; then a few passes straddle it.
    boolean quiet = rig.proxy().awaitQuiet(Duration.ofSeconds(1), resync);
    Rig.nextWholeSecond();
    long startNanos = System.nanoTime();
    AwsCallCounts operatorBefore = operator.awsCalls();
    AwsCallCounts proxyBefore = rig.proxyCalls();
    long passesBefore = operator.passes();
    long modificationsBefore = rig.watch().modifications();
    double cpuBefore = operator.cpuSeconds();
    // Each resource is passed once per period (JOSDK reschedules it a period after its last pass).
    long passes = operator.awaitPasses(passesBefore + n, timeout) - passesBefore;
    long resynced = Math.min(n, passes);
    double seconds = Rig.secondsSince(startNanos);
    double cpu = operator.cpuSeconds() - cpuBefore;
    long apiServerWrites = rig.watch().modifications() - modificationsBefore;
    BenchmarkResult.FullScrape fullScrape = fullScrape(operator);
    return new BenchmarkResult.SteadyState(
        resynced == n,
        quiet,
        resynced,
        passes,
        seconds,
        operator.awsCalls().minus(operatorBefore),
        rig.proxyCalls().minus(proxyBefore),
        cpu,
        apiServerWrites,
        fullScrape);
  }

  private static final int SCRAPES = 5;

  /** A few whole /metrics pages in a row, and the operator's CPU per page while it served them. */
  private static BenchmarkResult.FullScrape fullScrape(OperatorProcess operator) throws Exception {
    double cpuBefore = operator.cpuSeconds();
    long samples = 0;
    for (int i = 0; i < SCRAPES; i++) {
      samples = operator.fullMetricsPage().lines().filter(l -> !l.startsWith("#")).count();
    }
    return new BenchmarkResult.FullScrape((operator.cpuSeconds() - cpuBefore) / SCRAPES, samples);
  }
}
