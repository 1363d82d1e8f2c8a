package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.aws.ScalingApi;
import dev.sagemaker.autoscaling.plan.EndpointFacts;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Decides which passes may read the shared {@link Inventory} and keeps it told what each pass did:
 * only what the operator manages is tracked, and a target just written is read from AWS until a
 * newer snapshot exists, so the operator never judges its own writes by older data. Resyncs of
 * converged resources and first passes read the inventory; a pass after a spec change, a retry or a
 * wait reads AWS itself.
 */
final class InventoryBookkeeping implements AutoCloseable {
  private final Inventory inventory;
  private final Supplier<Optional<String>> defaultRegion;

  InventoryBookkeeping(Inventory inventory, Supplier<Optional<String>> defaultRegion) {
    this.inventory = inventory;
    this.defaultRegion = defaultRegion;
  }

  /**
   * What a pass reads: the snapshot's view of the target, and the endpoint through the snapshot's
   * listing, for a resync of a converged resource or a first pass; AWS directly for anything else.
   *
   * @param all every resource the operator sees: the first snapshot of a scope covers all its
   *     converged targets at once
   */
  Converger.Reads readsFor(
      SageMakerScalingPolicy resource,
      TargetKey key,
      AwsScope scope,
      ScalingApi api,
      Owner owner,
      Supplier<Stream<SageMakerScalingPolicy>> all) {
    boolean resync = isResyncOfConverged(resource, key);
    boolean firstPass = isFirstPass(resource);
    if (!resync && !firstPass) {
      return Converger.Reads.direct(api);
    }
    Optional<ObservedState> snapshot =
        inventory.observe(
            scope.id(), api, key, owner, firstPass, () -> convergedTargets(scope, all.get()));
    if (snapshot.isEmpty()) {
      return Converger.Reads.direct(api);
    }
    return new Converger.Reads(
        snapshot,
        new Converger.EndpointReads() {
          @Override
          public Optional<EndpointFacts> endpoint(
              String endpoint, String variant, boolean withInstanceType) {
            return inventory.endpoint(scope.id(), api, endpoint, variant, withInstanceType);
          }

          @Override
          public Optional<EndpointFacts> inferenceComponent(String component) {
            return inventory.inferenceComponent(scope.id(), api, component);
          }
        });
  }

  /** The resource has never been passed (no status records one). */
  static boolean isFirstPass(SageMakerScalingPolicy resource) {
    SageMakerScalingPolicyStatus status = resource.getStatus();
    return status == null || status.getObservedGeneration() == null;
  }

  /** Records what a pass that reached AWS did to the target. */
  void passEnded(TargetKey key, AwsScope scope, ScalingApi api, Outcome outcome) {
    if (!(outcome instanceof Outcome.Converged c) || !c.changes().isEmpty()) {
      inventory.written(key);
    }
    if (outcome instanceof Outcome.Converged) {
      inventory.track(scope.id(), api, key);
    }
  }

  /** An AWS call failed midway: some writes may have landed. */
  void passFailed(TargetKey key) {
    inventory.written(key);
  }

  /**
   * Paused, stalled, waiting or deregistered: nothing of this resource is worth reading in the
   * background, and its target may just have been torn down.
   */
  void passSettled(SageMakerScalingPolicyStatus previous, Outcome outcome) {
    if (!(outcome instanceof Outcome.Converged)) {
      TargetOwnership.recordedTarget(previous)
          .ifPresent(
              key -> {
                inventory.untrack(key);
                inventory.written(key);
              });
    }
  }

  /** The resource is being deleted: its target is about to be torn down. */
  void forget(TargetKey key) {
    inventory.untrack(key);
    inventory.written(key);
  }

  /** The spec has not changed since the last pass, and that pass found AWS equal to it. */
  static boolean isResyncOfConverged(SageMakerScalingPolicy resource, TargetKey key) {
    SageMakerScalingPolicyStatus status = resource.getStatus();
    return TargetOwnership.convergedOn(status, key)
        && Objects.equals(status.getObservedGeneration(), resource.getMetadata().getGeneration())
        && StatusBuilder.lastReason(status).filter(r -> r == Reason.Converged).isPresent();
  }

  /**
   * The targets of every resource in the scope that converged before (for the first snapshot after
   * a start).
   */
  private Collection<TargetKey> convergedTargets(
      AwsScope scope, Stream<SageMakerScalingPolicy> all) {
    return all.filter(
            r ->
                r.getSpec() != null
                    && r.getStatus() != null
                    && r.getStatus().getResourceId() != null)
        .filter(
            r -> AwsScope.of(r.getSpec(), defaultRegion.get()).filter(scope::equals).isPresent())
        .flatMap(
            r ->
                TargetOwnership.recordedTarget(r.getStatus())
                    .filter(k -> isResyncOfConverged(r, k))
                    .stream())
        .toList();
  }

  @Override
  public void close() {
    inventory.close();
  }
}
