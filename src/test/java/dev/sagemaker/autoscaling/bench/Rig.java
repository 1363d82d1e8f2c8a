package dev.sagemaker.autoscaling.bench;

import dev.sagemaker.autoscaling.testing.AwsProxy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What every phase works with: the API server, the watch over the fleet, the proxy and how to start
 * the operator.
 */
record Rig(
    KubernetesClient client,
    FleetWatch watch,
    AwsProxy proxy,
    Fleet fleet,
    OperatorProcess.Launch launch,
    String cluster) {

  /** What the proxy has counted so far, by service and operation. */
  AwsCallCounts proxyCalls() {
    return new AwsCallCounts(proxy.callsByService());
  }

  static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * Sleeps until the next whole second and returns it. status.lastSyncTime has whole seconds, so a
   * window that starts on a second boundary tells passes inside it from passes before it exactly.
   */
  static Instant nextWholeSecond() throws InterruptedException {
    Instant now = Instant.now();
    Instant next = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    Thread.sleep(Duration.between(now, next).toMillis() + 1);
    return next;
  }
}
