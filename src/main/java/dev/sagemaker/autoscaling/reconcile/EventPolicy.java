package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * Which outcome of a pass a person should hear about as a Kubernetes Event, and with which reason.
 */
final class EventPolicy {

  /** One Event: Warning or Normal, its reason and message. */
  record Notice(boolean warning, Reason reason, String message) {}

  private EventPolicy() {}

  /**
   * A converged pass that wrote nothing is quiet. Writes to a resource whose spec had already
   * converged are drift (someone changed AWS), otherwise the application of a new spec.
   */
  static Optional<Notice> noticeFor(SageMakerScalingPolicy resource, Outcome outcome) {
    if (outcome instanceof Outcome.Converged c) {
      if (c.changes().isEmpty()) {
        return Optional.empty();
      }
      String summary = c.changes().size() + " AWS change(s): " + String.join("; ", c.changes());
      return Optional.of(
          isDrift(resource)
              ? new Notice(
                  true,
                  Reason.DriftCorrected,
                  "AWS had drifted from the spec; restored with " + summary)
              : new Notice(false, Reason.Applied, "Applied " + summary));
    }
    if (outcome instanceof Outcome.Stalled s) {
      return Optional.of(new Notice(true, s.reason(), s.message()));
    }
    if (outcome instanceof Outcome.Retrying r) {
      return Optional.of(new Notice(true, r.reason(), r.message()));
    }
    if (outcome instanceof Outcome.Waiting w) {
      return Optional.of(new Notice(false, w.reason(), w.message()));
    }
    if (outcome instanceof Outcome.Deregistered d) {
      return Optional.of(new Notice(false, Reason.Deregistered, d.message()));
    }
    return Optional.of(new Notice(false, Reason.Paused, ((Outcome.Paused) outcome).message()));
  }

  /** A failed cleanup: deletion waits for it, so it is a warning. */
  static Notice cleanupFailed(String message) {
    return new Notice(true, Reason.CleanupFailed, message);
  }

  private static boolean isDrift(SageMakerScalingPolicy resource) {
    SageMakerScalingPolicyStatus status = resource.getStatus();
    return status != null
        && Objects.equals(status.getObservedGeneration(), resource.getMetadata().getGeneration())
        && StatusBuilder.wasReady(status);
  }
}
