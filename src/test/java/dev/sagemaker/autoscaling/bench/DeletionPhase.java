package dev.sagemaker.autoscaling.bench;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import java.time.Duration;

/**
 * Deletes the whole fleet, one delete request per namespace as a tenant tearing down would, and
 * waits until the API server has none left: each is gone only once the operator has cleaned up AWS
 * and removed its finalizer. The AWS calls in that time are what deletion costs.
 */
final class DeletionPhase {
  private DeletionPhase() {}

  static BenchmarkResult.Deletion run(Rig rig, OperatorProcess operator, Duration timeout)
      throws Exception {
    AwsCallCounts operatorBefore = operator.awsCalls();
    AwsCallCounts proxyBefore = rig.proxyCalls();
    double cpuBefore = operator.cpuSeconds();
    double machineBefore = MachineCpu.busySeconds();
    long start = System.nanoTime();
    rig.fleet().members().stream()
        .map(Fleet.Member::namespace)
        .distinct()
        .forEach(
            namespace ->
                rig.client()
                    .resources(SageMakerScalingPolicy.class)
                    .inNamespace(namespace)
                    .delete());
    long remaining = rig.watch().awaitAtMost(0, timeout);
    double seconds = Rig.secondsSince(start);
    return new BenchmarkResult.Deletion(
        remaining == 0,
        remaining,
        seconds,
        operator.awsCalls().minus(operatorBefore),
        rig.proxyCalls().minus(proxyBefore),
        operator.cpuSeconds() - cpuBefore,
        MachineCpu.busySeconds() - machineBefore,
        MachineCpu.cores());
  }
}
