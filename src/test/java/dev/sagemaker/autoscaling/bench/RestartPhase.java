package dev.sagemaker.autoscaling.bench;

import java.time.Duration;

/**
 * Stops the operator (SIGTERM, as a rollout does) and starts a new JVM: the time until it has
 * checked every resource against AWS (as many passes as resources, by its own count, and every one
 * Ready at the current generation), and what that cost. Everything already matches, so every write
 * it makes is a wasted one.
 */
final class RestartPhase {
  private RestartPhase() {}

  /** The new operator, still running, and what was measured. */
  record Outcome(
      OperatorProcess operator,
      BenchmarkResult.Restart result,
      OperatorProcess.Stopped previousStopped) {}

  static Outcome run(Rig rig, OperatorProcess previous, Duration timeout) throws Exception {
    int n = rig.fleet().size();
    OperatorProcess.Stopped stopped = previous.stop();
    Rig.nextWholeSecond();
    AwsCallCounts proxyBefore = rig.proxyCalls();
    rig.proxy().mark();
    OperatorProcess operator = OperatorProcess.start(rig.launch(), "restarted");
    // Every resource checked: as many passes of the new JVM as there are resources, and all Ready.
    long deadline = System.nanoTime() + timeout.toNanos();
    long passes = operator.awaitPasses(n, timeout);
    long ready =
        rig.watch()
            .await(
                FleetWatch.State::readyAtCurrentGeneration,
                n,
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    long verified = Math.min(Math.min(passes, n), ready);
    double seconds = Rig.secondsSince(operator.startedNanos());
    long firstCall = rig.proxy().firstCallNanosSinceMark();
    return new Outcome(
        operator,
        new BenchmarkResult.Restart(
            verified == n,
            verified,
            passes,
            seconds,
            firstCall == 0 ? Double.NaN : (firstCall - operator.startedNanos()) / 1e9,
            operator.awsCalls(),
            rig.proxyCalls().minus(proxyBefore)),
        stopped);
  }
}
