package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingActivityStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingStatus;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * What a converged pass learned of scaling, as the HPA tells it: one Normal Event per new scaling
   * activity AWS recorded (a Warning for one that failed), and one Warning when the target has been
   * held at max, or an alarm without data, past its threshold. Each activity and each episode is
   * told once: activities by their time against the last status, episodes by the status's list of
   * reported ones, so neither a resync nor a restart repeats them.
   */
  static List<Notice> scalingNotices(
      SageMakerScalingPolicy resource, Outcome outcome, SageMakerScalingPolicyStatus next) {
    if (!(outcome instanceof Outcome.Converged c) || next == null || next.getScaling() == null) {
      return List.of();
    }
    ScalingStatus before = resource.getStatus() == null ? null : resource.getStatus().getScaling();
    ScalingStatus after = next.getScaling();
    List<Notice> notices = new ArrayList<>();
    Instant created =
        ScalingStory.instant(resource.getMetadata().getCreationTimestamp()).orElse(null);
    for (ScalingActivity a :
        ScalingStory.newActivities(before, c.scaling().activities().orElse(List.of()), created)) {
      if (!a.notScaled()) {
        boolean failed = "Failed".equals(a.statusCode());
        notices.add(
            new Notice(
                failed,
                failed ? Reason.RescaleFailed : Reason.Rescaled,
                a.description()
                    + (a.cause() == null ? "" : " Cause: " + a.cause())
                    + " (activity "
                    + a.activityId()
                    + ", "
                    + a.startTime()
                    + ")"));
      }
    }
    List<String> told = before == null ? List.of() : before.getReportedEpisodes();
    for (String episode : after.getReportedEpisodes()) {
      if (!told.contains(episode)) {
        notices.add(episodeNotice(episode, after));
      }
    }
    return notices;
  }

  private static Notice episodeNotice(String episode, ScalingStatus s) {
    if (episode.startsWith(ScalingStory.HELD_AT_MAX_EPISODE)) {
      ScalingActivityStatus refused = s.getLatestNotScaled();
      return new Notice(
          true,
          Reason.HeldAtMaxCapacity,
          "held at maxCapacity "
              + s.getMaxCapacity()
              + (s.getBoundsSetBy() == null
                  ? ""
                  : " (set by scheduled action " + s.getBoundsSetBy() + ")")
              + " since "
              + s.getHeldAtMaxSince()
              + ": Application Auto Scaling did not scale out ("
              + refused.getNotScaledReason()
              + "): "
              + refused.getDescription()
              + (refused.getCause() == null ? "" : " Cause: " + refused.getCause()));
    }
    String alarm =
        episode.substring(ScalingStory.NO_DATA_EPISODE.length(), episode.lastIndexOf('@'));
    String since = episode.substring(episode.lastIndexOf('@') + 1);
    String reason =
        s.getAlarms().stream()
            .filter(a -> ScalingStory.shortName(a, null).endsWith(alarm) && a.getReason() != null)
            .map(a -> ": " + a.getReason())
            .findFirst()
            .orElse("");
    return new Notice(
        true,
        Reason.AlarmWithoutData,
        "alarm "
            + alarm
            + " has had INSUFFICIENT_DATA since "
            + since
            + reason
            + "; the metric may not exist, or the alarm's period may be shorter than the endpoint"
            + " publishes it");
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
