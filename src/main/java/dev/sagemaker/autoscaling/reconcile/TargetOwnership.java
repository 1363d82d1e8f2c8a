package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.DeletionPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.Planner;
import dev.sagemaker.autoscaling.plan.SpecValidator;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Who may write a scalable target: the resource that owns it by name in AWS, what its last status
 * says it holds, and which of several resources in this cluster that name the same target came
 * first.
 */
final class TargetOwnership {
  /** Oldest first, then by namespace and name: every replica and every pass agrees on the order. */
  private static final Comparator<SageMakerScalingPolicy> SENIORITY =
      Comparator.comparing(
              (SageMakerScalingPolicy r) -> r.getMetadata().getCreationTimestamp(),
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(r -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName());

  private final String clusterName;
  private final Supplier<Optional<String>> defaultRegion;

  TargetOwnership(String clusterName, Supplier<Optional<String>> defaultRegion) {
    this.clusterName = clusterName;
    this.defaultRegion = defaultRegion;
  }

  /** The owner whose name prefix and tag mark the AWS objects of this resource. */
  Owner owner(SageMakerScalingPolicy resource) {
    return new Owner(
        clusterName, resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  /**
   * Another live resource in this cluster with a valid spec for the same target in the same region
   * that came first: it holds the target, and {@code resource} must not write.
   */
  Optional<SageMakerScalingPolicy> seniorClaimant(
      SageMakerScalingPolicy resource, TargetKey key, Stream<SageMakerScalingPolicy> all) {
    String region = regionOrEmpty(resource);
    return all.filter(
            other -> !other.getMetadata().getUid().equals(resource.getMetadata().getUid()))
        .filter(other -> other.getMetadata().getDeletionTimestamp() == null)
        .filter(other -> other.getSpec() != null && other.getSpec().getTarget() != null)
        // Every pass scans the whole cache: compare the cheap key first, validate only the few that
        // match.
        .filter(
            other ->
                Planner.targetKey(other.getSpec()).equals(key)
                    && regionOrEmpty(other).equals(region))
        .filter(other -> SpecValidator.validate(other.getSpec(), owner(other)).isEmpty())
        .filter(other -> SENIORITY.compare(other, resource) < 0)
        .min(SENIORITY);
  }

  /**
   * The target a deletion must clean: none for the Retain policy or a resource that lost the target
   * to another; else the recorded one, or, without a status (the operator stopped between its first
   * write and the status patch), the target of a valid spec.
   */
  Optional<TargetKey> leftBehind(SageMakerScalingPolicy resource) {
    SageMakerScalingPolicySpec spec = resource.getSpec();
    if (spec == null
        || spec.getDeletionPolicy() == DeletionPolicy.Retain
        || lostToSeniorClaimant(resource.getStatus())) {
      return Optional.empty();
    }
    return recordedTarget(resource.getStatus())
        .or(
            () ->
                SpecValidator.validate(spec, owner(resource)).isEmpty()
                    ? Optional.of(Planner.targetKey(spec))
                    : Optional.empty());
  }

  /**
   * The last pass found another resource holding the target; deleting this one must leave AWS
   * alone.
   */
  static boolean lostToSeniorClaimant(SageMakerScalingPolicyStatus status) {
    return StatusBuilder.lastReason(status).filter(r -> r == Reason.Conflict).isPresent();
  }

  /** Converged on this very target before: the status records it and a successful sync. */
  static boolean ownsTarget(SageMakerScalingPolicyStatus status, TargetKey key) {
    return status != null
        && status.getLastSyncTime() != null
        && key.resourceId().equals(status.getResourceId())
        && key.scalableDimension().equals(status.getScalableDimension());
  }

  /** What the last status says this resource owns; with no status, anything may exist. */
  static Converger.OwnedSummary knownOwned(SageMakerScalingPolicyStatus status, TargetKey key) {
    if (status == null) {
      return new Converger.OwnedSummary(false, true, true);
    }
    boolean alarms = status.getPolicies().stream().anyMatch(p -> !p.getAlarms().isEmpty());
    return new Converger.OwnedSummary(
        ownsTarget(status, key), alarms, !status.getScheduledActions().isEmpty());
  }

  /** The target the status records, whatever the spec says now. */
  static Optional<TargetKey> recordedTarget(SageMakerScalingPolicyStatus status) {
    return status == null || status.getResourceId() == null
        ? Optional.empty()
        : Optional.of(new TargetKey(status.getResourceId(), status.getScalableDimension()));
  }

  private String regionOrEmpty(SageMakerScalingPolicy resource) {
    return AwsScope.of(resource.getSpec(), defaultRegion.get()).map(AwsScope::region).orElse("");
  }
}
