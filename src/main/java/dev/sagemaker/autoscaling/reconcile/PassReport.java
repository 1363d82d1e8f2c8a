package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Tells the world outside the status what a pass found: its Events (which {@link EventPolicy}
 * chooses) and its metrics. Kept apart from the flow so that a new Event or metric changes this
 * class and not the order of a pass.
 */
final class PassReport {
  private final EventRecorder events;
  private final ReconcileMetrics metrics;

  PassReport(EventRecorder events, ReconcileMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * A pass ended with {@code outcome} and will write {@code next} as the status (the resource still
   * holds the previous one).
   */
  void passEnded(
      SageMakerScalingPolicy resource,
      Outcome outcome,
      SageMakerScalingPolicyStatus next,
      Duration took) {
    String uid = resource.getMetadata().getUid();
    String namespace = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    metrics.recordPass(uid, outcome, took);
    EventPolicy.noticeFor(resource, outcome)
        .ifPresent(
            notice -> {
              if (notice.reason() == Reason.DriftCorrected) {
                metrics.recordDriftCorrected();
              }
              events.record(resource, notice);
            });
    warnAboutMisspelledAnnotations(resource);
    EventPolicy.scalingNotices(resource, outcome, next)
        .forEach(notice -> events.recordEach(resource, notice));
    if (outcome instanceof Outcome.Converged converged) {
      metrics.recordSynced(uid, namespace, name);
      metrics.recordScaling(
          uid,
          namespace,
          name,
          next.getScaling(),
          ScalingStory.newActivities(
              Optional.ofNullable(resource.getStatus())
                  .map(SageMakerScalingPolicyStatus::getScaling)
                  .orElse(null),
              converged.scaling().activities().orElse(List.of()),
              ScalingStory.instant(resource.getMetadata().getCreationTimestamp()).orElse(null)));
    }
  }

  /** The resource waits for its endpoint and looks again after {@code nextLook}, or does not. */
  void waiting(SageMakerScalingPolicy resource, Optional<Duration> nextLook) {
    metrics.recordWait(resource.getMetadata().getUid(), nextLook);
  }

  /** Deletion began; a switch annotation's meaningless value still deserves its Warning. */
  void deleting(SageMakerScalingPolicy resource) {
    warnAboutMisspelledAnnotations(resource);
  }

  /** Deleting the AWS objects failed; the Stalled condition carries the same message. */
  void cleanupFailed(SageMakerScalingPolicy resource, String message) {
    events.record(resource, EventPolicy.cleanupFailed(message));
  }

  /** The resource is gone: nothing about it stays in memory. */
  void forget(SageMakerScalingPolicy resource) {
    events.forget(resource);
    metrics.forget(resource.getMetadata().getUid());
  }

  /** A switch annotation with a value that means nothing is ignored; say so once per value. */
  private void warnAboutMisspelledAnnotations(SageMakerScalingPolicy resource) {
    for (String message : Directives.misspelled(resource)) {
      events.recordOnce(resource, new EventPolicy.Notice(true, Reason.InvalidAnnotation, message));
    }
  }
}
