package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.EndpointStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.PolicyStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingActivityStatus;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.List;
import java.util.Optional;

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
      Optional<List<ScalingActivityStatus>> activities)
      implements Outcome {}

  /** Nothing to do yet: the endpoint or variant is missing or busy. Not an error. */
  record Waiting(TargetKey key, String region, String reason, String message, EndpointStatus endpoint) implements Outcome {}

  /** The spec, permissions or ownership must change before anything can be applied. */
  record Stalled(TargetKey key, String region, String reason, String message) implements Outcome {}

  /** A failure that retrying with backoff should clear (throttling, 5xx, concurrent updates). */
  record Retrying(TargetKey key, String region, String reason, String message) implements Outcome {}

  /** The pause annotation is set: nothing is read or written. */
  record Paused(String message) implements Outcome {}

  /**
   * The deregister annotation is set: everything this resource created was removed (so the endpoint's
   * instance type can change) and nothing is written until the annotation goes.
   */
  record Deregistered(String message) implements Outcome {}
}
