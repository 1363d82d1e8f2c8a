package dev.sagemaker.autoscaling.bench;

import java.time.Duration;

/**
 * From the operator's start, with every resource already applied and nothing in AWS, until all are
 * Ready.
 */
final class ConvergencePhase {
  private ConvergencePhase() {}

  static BenchmarkResult.Convergence run(Rig rig, OperatorProcess operator, Duration timeout)
      throws Exception {
    int n = rig.fleet().size();
    long ready = rig.watch().await(FleetWatch.State::readyAtCurrentGeneration, n, timeout);
    double seconds = Rig.secondsSince(operator.startedNanos());
    long firstCall = rig.proxy().firstCallNanosSinceMark();
    return new BenchmarkResult.Convergence(
        ready == n,
        ready,
        operator.passes(),
        seconds,
        firstCall == 0 ? Double.NaN : (firstCall - operator.startedNanos()) / 1e9,
        operator.awsCalls(),
        rig.proxyCalls(),
        operator.cpuSeconds(),
        operator.machineBusySinceStart(),
        MachineCpu.cores());
  }
}
