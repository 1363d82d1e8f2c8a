package dev.sagemaker.autoscaling.bench;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.testing.AwsProxy;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Edits one target-tracking targetValue on a sample of resources spread over the fleet, one change
 * at a time, with all N present and resyncing, and times each from the API request to the completed
 * PutScalingPolicy carrying the new value, as the counting proxy saw it.
 */
final class SpecChangePhase {
  private static final Duration PER_CHANGE_TIMEOUT = Duration.ofSeconds(30);

  /** The seed's value is 1000; every sample gets a value of its own so no stale write can match. */
  private static final int FIRST_VALUE = 1001;

  private SpecChangePhase() {}

  static BenchmarkResult.SpecChange run(Rig rig, int samples) throws InterruptedException {
    List<Fleet.Member> members = rig.fleet().members();
    String item = Fleet.probedItem();
    List<Double> latencies = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      Fleet.Member member = members.get(i * members.size() / samples);
      String policy = member.owner(rig.cluster()).targetTrackingPolicy(item);
      double value = FIRST_VALUE + i;
      long start = System.nanoTime();
      rig.client()
          .resources(SageMakerScalingPolicy.class)
          .inNamespace(member.namespace())
          .withName(member.name())
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"replace\",\"path\":\"/spec/targetTracking/0/targetValue\",\"value\":"
                  + value
                  + "}]");
      awaitWrite(rig.proxy(), policy, value, start)
          .ifPresent(done -> latencies.add((done - start) / 1e9));
    }
    return new BenchmarkResult.SpecChange(samples, latencies);
  }

  /**
   * The completion time of the first PutScalingPolicy with this name and value after start, if
   * within the timeout.
   */
  private static Optional<Long> awaitWrite(AwsProxy proxy, String policy, double value, long start)
      throws InterruptedException {
    long deadline = start + PER_CHANGE_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<AwsProxy.PolicyWrite> write =
          proxy
              .lastPolicyWrite(policy)
              .filter(
                  w ->
                      w.completedNanos() > start
                          && w.targetValue() != null
                          && w.targetValue() == value);
      if (write.isPresent()) {
        return Optional.of(write.get().completedNanos());
      }
      Thread.sleep(5);
    }
    return Optional.empty();
  }
}
