package dev.sagemaker.autoscaling.bench;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What the API server says about every resource, kept current by one watch (an informer) rather
 * than by listing 1,000 objects again and again on a 2-core machine that also runs the operator.
 */
final class FleetWatch implements AutoCloseable {
  /** The status fields the benchmark judges a resource by. */
  record State(long generation, Long observedGeneration, boolean ready) {
    boolean readyAtCurrentGeneration() {
      return ready && observedGeneration != null && observedGeneration == generation;
    }
  }

  private final SharedIndexInformer<SageMakerScalingPolicy> informer;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  /**
   * Every MODIFIED event the watch delivered: each is one write to the API server (by the operator,
   * in a window the benchmark does not write in).
   */
  private final AtomicLong modifications = new AtomicLong();

  private FleetWatch(KubernetesClient client) {
    this.informer =
        client
            .resources(SageMakerScalingPolicy.class)
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(SageMakerScalingPolicy resource) {
                    record(resource);
                  }

                  @Override
                  public void onUpdate(
                      SageMakerScalingPolicy old, SageMakerScalingPolicy resource) {
                    // A re-list after a dropped watch hands back unchanged objects too: only a new
                    // version is a write.
                    if (!Objects.equals(
                        old.getMetadata().getResourceVersion(),
                        resource.getMetadata().getResourceVersion())) {
                      modifications.incrementAndGet();
                    }
                    record(resource);
                  }

                  @Override
                  public void onDelete(SageMakerScalingPolicy resource, boolean unknownFinalState) {
                    states.remove(key(resource));
                  }
                },
                0);
  }

  static FleetWatch start(KubernetesClient client) {
    return new FleetWatch(client);
  }

  private void record(SageMakerScalingPolicy resource) {
    states.put(key(resource), stateOf(resource));
  }

  private static String key(SageMakerScalingPolicy resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  private static State stateOf(SageMakerScalingPolicy resource) {
    var status = resource.getStatus();
    boolean ready =
        status != null
            && status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return new State(
        resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration(),
        status == null ? null : status.getObservedGeneration(),
        ready);
  }

  long count(Predicate<State> condition) {
    return states.values().stream().filter(condition).count();
  }

  long modifications() {
    return modifications.get();
  }

  /** Resources the API server still has (a deleted one stays while its finalizer does). */
  long present() {
    return states.size();
  }

  /**
   * Waits until {@code expected} resources meet the condition or the timeout passes; returns how
   * many met it at the end, so a timeout still reports progress.
   */
  long await(Predicate<State> condition, long expected, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long met = count(condition);
    while (met < expected && System.nanoTime() < deadline) {
      Thread.sleep(100);
      met = count(condition);
    }
    return met;
  }

  /**
   * Waits until at most {@code left} resources are present or the timeout passes; returns how many
   * are.
   */
  long awaitAtMost(long left, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (present() > left && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return present();
  }

  @Override
  public void close() {
    informer.close();
  }
}
