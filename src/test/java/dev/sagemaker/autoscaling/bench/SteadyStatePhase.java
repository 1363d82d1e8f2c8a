package dev.sagemaker.autoscaling.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * One full resync with nothing to change: every resource is passed once by the operator's periodic
 * reconciliation (RESYNC_PERIOD), and the calls in that window are its steady-state cost.
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
    Instant start = Rig.nextWholeSecond();
    long startNanos = System.nanoTime();
    AwsCallCounts operatorBefore = operator.awsCalls();
    AwsCallCounts proxyBefore = rig.proxyCalls();
    long passesBefore = rig.watch().passes();
    long modificationsBefore = rig.watch().modifications();
    double cpuBefore = operator.cpuSeconds();
    long resynced = rig.watch().await(s -> s.syncedSince(start), n, timeout);
    double seconds = Rig.secondsSince(startNanos);
    double cpu = operator.cpuSeconds() - cpuBefore;
    long apiServerWrites = rig.watch().modifications() - modificationsBefore;
    return new BenchmarkResult.SteadyState(
        resynced == n,
        quiet,
        resynced,
        rig.watch().passes() - passesBefore,
        seconds,
        operator.awsCalls().minus(operatorBefore),
        rig.proxyCalls().minus(proxyBefore),
        cpu,
        apiServerWrites);
  }
}
