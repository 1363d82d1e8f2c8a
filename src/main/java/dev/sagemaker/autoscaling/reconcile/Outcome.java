package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.Annotations;
import dev.sagemaker.autoscaling.api.v1alpha1.EndpointStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.PolicyStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingActivityStatus;
import dev.sagemaker.autoscaling.aws.AwsApiException;
import dev.sagemaker.autoscaling.aws.AwsErrorKind;
import dev.sagemaker.autoscaling.plan.ScheduledBounds;
import dev.sagemaker.autoscaling.plan.SpecProblem;
import dev.sagemaker.autoscaling.plan.TargetKey;
import dev.sagemaker.autoscaling.tenancy.Denial;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** How one reconcile ended; the status builder turns it into conditions. */
sealed interface Outcome {

  /** AWS equals the spec (after applying {@code changes}). */
  record Converged(
      TargetKey key,
      String region,
      EndpointStatus endpoint,
      List<PolicyStatus> policies,
      List<String> scheduledActions,
      List<String> foreignObjects,
      List<String> changes,
      Optional<List<ScalingActivityStatus>> activities,
      Optional<ScheduledBounds> scheduledBounds,
      ScalingObservation scaling)
      implements Outcome {
    Converged(
        TargetKey key,
        String region,
        EndpointStatus endpoint,
        List<PolicyStatus> policies,
        List<String> scheduledActions,
        List<String> foreignObjects,
        List<String> changes,
        Optional<List<ScalingActivityStatus>> activities,
        Optional<ScheduledBounds> scheduledBounds) {
      this(
          key,
          region,
          endpoint,
          policies,
          scheduledActions,
          foreignObjects,
          changes,
          activities,
          scheduledBounds,
          ScalingObservation.none());
    }

    Converged(
        TargetKey key,
        String region,
        EndpointStatus endpoint,
        List<PolicyStatus> policies,
        List<String> scheduledActions,
        List<String> foreignObjects,
        List<String> changes,
        Optional<List<ScalingActivityStatus>> activities) {
      this(
          key,
          region,
          endpoint,
          policies,
          scheduledActions,
          foreignObjects,
          changes,
          activities,
          Optional.empty());
    }
  }

  /** Nothing to do yet: the endpoint or variant is missing or busy. Not an error. */
  record Waiting(
      TargetKey key, String region, Reason reason, String message, EndpointStatus endpoint)
      implements Outcome {}

  /** The spec, permissions or ownership must change before anything can be applied. */
  record Stalled(TargetKey key, String region, Reason reason, String message) implements Outcome {}

  /** A failure that retrying with backoff should clear (throttling, 5xx, concurrent updates). */
  record Retrying(TargetKey key, String region, Reason reason, String message) implements Outcome {}

  /** The pause annotation is set: nothing is read or written. */
  record Paused(String message) implements Outcome {}

  /**
   * The deregister annotation is set: everything this resource created was removed (so the
   * endpoint's instance type can change) and nothing is written until the annotation goes.
   */
  record Deregistered(String message) implements Outcome {}

  static Paused paused() {
    return new Paused(
        "reconciliation is paused by the annotation "
            + Annotations.PAUSED
            + "; AWS is neither read nor written");
  }

  static Deregistered deregistered() {
    return new Deregistered(
        "deregistered from Application Auto Scaling by the annotation "
            + Annotations.DEREGISTER
            + "; update the endpoint, then remove the annotation to register again");
  }

  static Stalled invalid(List<SpecProblem> problems) {
    return new Stalled(
        null,
        null,
        Reason.InvalidSpec,
        problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; ")));
  }

  static Stalled forbidden(Denial denial) {
    return new Stalled(null, null, Reason.Forbidden, denial.message());
  }

  static Stalled noRegion(TargetKey key) {
    return new Stalled(
        key,
        null,
        Reason.NoRegion,
        "no AWS region: set spec.aws.region, or give the operator one (the chart's aws.region, or"
            + " AWS_REGION in its pod)");
  }

  /**
   * Terminal errors wait for a change of spec or permissions; the rest are retried with backoff.
   */
  static Outcome awsFailure(TargetKey key, String region, AwsApiException e) {
    return e.kind() == AwsErrorKind.TERMINAL
        ? new Stalled(key, region, Reason.AwsRejected, e.getMessage())
        : new Retrying(key, region, Reason.AwsRetrying, e.getMessage());
  }
}
