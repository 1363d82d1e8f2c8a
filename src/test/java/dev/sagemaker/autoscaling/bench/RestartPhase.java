package dev.sagemaker.autoscaling.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * Stops the operator (SIGTERM, as a rollout does) and starts a new JVM: the time until it has
 * checked every resource against AWS (a lastSyncTime after the restart, Ready at the current
 * generation), and what that cost. Everything already matches, so every write it makes is a wasted
 * one.
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
    Instant restartedAt = Rig.nextWholeSecond();
    AwsCallCounts proxyBefore = rig.proxyCalls();
    rig.proxy().mark();
    long passesBefore = rig.watch().passes();
    OperatorProcess operator = OperatorProcess.start(rig.launch(), "restarted");
    long verified =
        rig.watch()
            .await(s -> s.syncedSince(restartedAt) && s.readyAtCurrentGeneration(), n, timeout);
    double seconds = Rig.secondsSince(operator.startedNanos());
    long firstCall = rig.proxy().firstCallNanosSinceMark();
    return new Outcome(
        operator,
        new BenchmarkResult.Restart(
            verified == n,
            verified,
            rig.watch().passes() - passesBefore,
            seconds,
            firstCall == 0 ? Double.NaN : (firstCall - operator.startedNanos()) / 1e9,
            operator.awsCalls(),
            rig.proxyCalls().minus(proxyBefore)),
        stopped);
  }
}
