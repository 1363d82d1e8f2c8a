package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.Annotations;
import dev.sagemaker.autoscaling.api.v1alpha1.DeletionPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.Planner;
import dev.sagemaker.autoscaling.plan.SpecValidator;
import dev.sagemaker.autoscaling.plan.TargetKey;
import dev.sagemaker.autoscaling.tenancy.SessionIdentity;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who may write the AWS objects of a target. AWS decides, not the status and not the age of a
 * resource: the scalable target belongs to the resource its owner tag names, its policies and
 * scheduled actions follow it, and an alarm belongs to the resource its description's owner mark
 * names. The first resource to register a target with its tag holds it; every other is refused
 * before it writes, and its deletion leaves the holder's objects alone.
 */
final class TargetOwnership {
  private final String clusterName;

  TargetOwnership(String clusterName) {
    this.clusterName = clusterName;
  }

  /** The owner whose name prefix and mark identify the AWS objects of this resource. */
  Owner owner(SageMakerScalingPolicy resource) {
    return new Owner(
        clusterName,
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        resource.getMetadata().getUid());
  }

  /** Who a role assumed for this resource is told asked: namespace, name and cluster. */
  SessionIdentity session(SageMakerScalingPolicy resource) {
    return SessionIdentity.of(
        clusterName, resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  /** What a resource may do with a registered target, from its owner tag. */
  sealed interface Claim {
    /** The tag names this resource. */
    record Owned() implements Claim {}

    /** Untagged, and adoption is asked for: tag it, then it is owned. */
    record Adopt() implements Claim {}

    /** Someone else holds it: write nothing. */
    record Refused(String message) implements Claim {}
  }

  /**
   * @param ownerTag the target's owner tag, empty when it has none
   * @param adopt the adopt annotation is set; it takes untagged targets only, never one another
   *     resource of ours holds, in this cluster or another
   */
  static Claim claimTarget(TargetKey key, Optional<String> ownerTag, Owner owner, boolean adopt) {
    if (ownerTag.isPresent() && ownerTag.get().equals(owner.mark())) {
      return new Claim.Owned();
    }
    if (ownerTag.isPresent()) {
      return new Claim.Refused(
          key.resourceId()
              + " is held by "
              + ownerTag.get()
              + " (its "
              + Owner.TAG_KEY
              + " tag), not by this resource ("
              + owner.mark()
              + "); nothing was changed. It stays with that owner until that resource is deleted;"
              + " the adopt annotation never takes it");
    }
    if (adopt) {
      return new Claim.Adopt();
    }
    return new Claim.Refused(
        key.resourceId()
            + " is already registered with Application Auto Scaling by another tool; nothing was"
            + " changed. To take it over, set the annotation "
            + Annotations.ADOPT
            + ": \"true\"");
  }

  /**
   * Alarms with this resource's name prefix that another resource's mark holds (the same namespace
   * and name in another cluster of the same name, or an earlier resource of this name whose objects
   * were retained).
   */
  static List<Alarm> alarmsHeldByOthers(List<ObservedAlarm> alarms, Owner owner) {
    return alarms.stream()
        .map(ObservedAlarm::alarm)
        .filter(a -> owner.owns(a.name()))
        .filter(a -> !isMarkedBy(a.description(), owner))
        .sorted(Comparator.comparing(Alarm::name))
        .toList();
  }

  static String alarmsHeldByOthersMessage(List<Alarm> alarms, Owner owner) {
    return "CloudWatch alarm(s) with this resource's name are held by another owner: "
        + alarms.stream()
            .map(
                a ->
                    a.name()
                        + " ("
                        + Owner.markIn(a.description()).map(m -> "held by " + m).orElse("unmarked")
                        + ")")
            .collect(Collectors.joining(", "))
        + "; this resource is "
        + owner.mark()
        + " and changed nothing. Delete those alarms, or the resource that holds them, to go on";
  }

  /**
   * What a deletion may remove: the alarms this resource's mark holds, and the target with its
   * policies and scheduled actions only when its owner tag names this resource.
   */
  static ObservedState ownedPart(
      ObservedState observed, Optional<String> targetOwnerTag, Owner owner) {
    List<ObservedAlarm> alarms =
        observed.alarms().stream()
            .filter(a -> owner.owns(a.alarm().name()))
            .filter(a -> isMarkedBy(a.alarm().description(), owner))
            .toList();
    boolean targetIsOurs = targetOwnerTag.filter(owner.mark()::equals).isPresent();
    return targetIsOurs
        ? new ObservedState(
            observed.target(), observed.policies(), alarms, observed.scheduledActions())
        : new ObservedState(Optional.empty(), List.of(), alarms, List.of());
  }

  private static boolean isMarkedBy(String description, Owner owner) {
    return Owner.markIn(description).filter(owner.mark()::equals).isPresent();
  }

  /**
   * The target a deletion must look at: none for the Retain policy; else the recorded one, or,
   * without one (the operator stopped between its first write and the status patch, or the resource
   * never held the target), the target of a valid spec. What is removed there is decided by AWS
   * ({@link #ownedPart}).
   */
  Optional<TargetKey> leftBehind(SageMakerScalingPolicy resource) {
    SageMakerScalingPolicySpec spec = resource.getSpec();
    if (spec == null || spec.getDeletionPolicy() == DeletionPolicy.Retain) {
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
   * The status records a successful sync of this very target. Only ever used to skip reads: a write
   * is allowed by the owner tag alone.
   */
  static boolean convergedOn(SageMakerScalingPolicyStatus status, TargetKey key) {
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
        convergedOn(status, key), alarms, !status.getScheduledActions().isEmpty());
  }

  /** The target the status records, whatever the spec says now. */
  static Optional<TargetKey> recordedTarget(SageMakerScalingPolicyStatus status) {
    return status == null || status.getResourceId() == null
        ? Optional.empty()
        : Optional.of(new TargetKey(status.getResourceId(), status.getScalableDimension()));
  }

  /**
   * The target a status may name after a pass that did not end converged: the one it already
   * records, never one this pass has not shown to be owned.
   */
  static TargetKey recordable(SageMakerScalingPolicyStatus status, TargetKey key) {
    return recordedTarget(status).filter(key::equals).orElse(null);
  }
}
