package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduledBoundsStatus;
import dev.sagemaker.autoscaling.plan.ScheduledBounds;
import dev.sagemaker.autoscaling.plan.TargetKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place that writes conditions, and the one place that reads them back. Uses the kstatus
 * vocabulary (Ready, Reconciling, Stalled) so Flux and Argo CD read the resource without
 * configuration, keeps a condition's lastTransitionTime while its status holds, and carries the
 * previous status's AWS facts forward when this reconcile did not look at AWS.
 */
public final class StatusBuilder {
  private static final List<Reason.Condition> CONDITIONS =
      List.of(Reason.Condition.READY, Reason.Condition.RECONCILING, Reason.Condition.STALLED);

  /**
   * How old lastSyncTime may get before a quiet resync writes it again. Writing it on every resync
   * would make each resync a status write (and a watch event for every client) for a timestamp;
   * freshness is the metric smsp_last_sync_timestamp_seconds instead.
   */
  static final Duration LAST_SYNC_REFRESH = Duration.ofHours(1);

  private final Clock clock;
  private final ScalingStory.Thresholds thresholds;

  public StatusBuilder(Clock clock) {
    this(clock, ScalingStory.Thresholds.defaults());
  }

  /**
   * @param thresholds how long a target held at max, or an alarm without data, lasts before it is
   *     reported (status.scaling.reportedEpisodes, and a Warning Event)
   */
  public StatusBuilder(Clock clock, ScalingStory.Thresholds thresholds) {
    this.clock = clock;
    this.thresholds = thresholds;
  }

  /**
   * The reason the last pass wrote, or empty before the first pass (or for a reason this version
   * does not know). All three conditions carry the same reason, so Ready's is read.
   */
  static Optional<Reason> lastReason(SageMakerScalingPolicyStatus status) {
    if (status == null) {
      return Optional.empty();
    }
    return status.getConditions().stream()
        .filter(c -> Reason.Condition.READY.type().equals(c.getType()))
        .map(Condition::getReason)
        .flatMap(r -> Arrays.stream(Reason.values()).filter(v -> v.name().equals(r)))
        .findFirst();
  }

  /** The last pass ended with Ready=True (converged or paused). */
  static boolean wasReady(SageMakerScalingPolicyStatus status) {
    return lastReason(status).map(r -> r.condition() == Reason.Condition.READY).orElse(false);
  }

  /**
   * A fresh object with only identity and the new status: the patch says nothing about spec or
   * metadata.
   */
  SageMakerScalingPolicy statusPatch(SageMakerScalingPolicy resource, Outcome outcome) {
    SageMakerScalingPolicy fresh = new SageMakerScalingPolicy();
    fresh.getMetadata().setName(resource.getMetadata().getName());
    fresh.getMetadata().setNamespace(resource.getMetadata().getNamespace());
    fresh.setStatus(build(resource, outcome));
    return fresh;
  }

  SageMakerScalingPolicyStatus build(SageMakerScalingPolicy resource, Outcome outcome) {
    SageMakerScalingPolicyStatus previous =
        resource.getStatus() == null ? new SageMakerScalingPolicyStatus() : resource.getStatus();
    SageMakerScalingPolicyStatus next = copyFacts(previous);
    Instant instant = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
    String now = instant.toString();

    Reason reason;
    String message;
    if (outcome instanceof Outcome.Converged c) {
      setTarget(next, c.key(), c.region());
      next.setEndpoint(c.endpoint());
      next.setPolicies(c.policies());
      next.setScheduledActions(c.scheduledActions());
      next.setScheduledBounds(
          c.scheduledBounds()
              .map(b -> new ScheduledBoundsStatus(b.minCapacity(), b.maxCapacity(), b.setBy()))
              .orElse(null));
      next.setForeignObjects(c.foreignObjects());
      c.activities().ifPresent(next::setRecentActivities);
      next.setScaling(
          ScalingStory.next(
              previous.getScaling(),
              c.scaling(),
              c.scheduledBounds().map(ScheduledBounds::setBy).orElse(null),
              Instant.now(clock),
              thresholds));
      if (!c.changes().isEmpty() || olderThanRefresh(previous.getLastSyncTime(), instant)) {
        next.setLastSyncTime(now);
      }
      reason = Reason.Converged;
      message =
          "AWS matches the spec: "
              + c.policies().size()
              + " scaling "
              + plural(c.policies().size(), "policy", "policies")
              + " and "
              + c.scheduledActions().size()
              + " scheduled "
              + plural(c.scheduledActions().size(), "action", "actions")
              + " on "
              + c.key().resourceId()
              + (c.foreignObjects().isEmpty()
                  ? ""
                  : "; left alone: " + c.foreignObjects().size() + " object(s) owned by others");
    } else if (outcome instanceof Outcome.Waiting w) {
      setTarget(next, w.key(), w.region());
      if (w.endpoint() != null) {
        next.setEndpoint(w.endpoint());
      }
      reason = w.reason();
      message = w.message();
    } else if (outcome instanceof Outcome.Retrying r) {
      setTarget(next, r.key(), r.region());
      reason = r.reason();
      message = r.message();
    } else if (outcome instanceof Outcome.Stalled s) {
      setTarget(next, s.key(), s.region());
      reason = s.reason();
      message = s.message();
    } else if (outcome instanceof Outcome.Deregistered d) {
      // Nothing is registered any more: forget the AWS facts, so the next registration starts
      // afresh.
      next = new SageMakerScalingPolicyStatus();
      reason = Reason.Paused;
      message = d.message();
    } else {
      reason = Reason.Paused;
      message = ((Outcome.Paused) outcome).message();
    }
    if (reason.condition() == Reason.Condition.EVENT_ONLY) {
      throw new IllegalArgumentException(reason + " is an Event reason, not a condition reason");
    }
    next.setObservedGeneration(resource.getMetadata().getGeneration());
    List<Condition> conditions = new ArrayList<>();
    for (Reason.Condition type : CONDITIONS) {
      conditions.add(condition(previous, type, reason, message, resource, now));
    }
    next.setConditions(conditions);
    return next;
  }

  /**
   * One of the three conditions: the one the reason belongs to is True with the message, the others
   * False (Ready keeps the message, so `kubectl get` says why it is not ready).
   */
  private static Condition condition(
      SageMakerScalingPolicyStatus previous,
      Reason.Condition type,
      Reason reason,
      String message,
      SageMakerScalingPolicy resource,
      String now) {
    String status = reason.condition() == type ? "True" : "False";
    String shown = type == Reason.Condition.READY || reason.condition() == type ? message : "";
    String since =
        previous.getConditions().stream()
            .filter(c -> type.type().equals(c.getType()) && status.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now);
    return new ConditionBuilder()
        .withType(type.type())
        .withStatus(status)
        .withReason(reason.name())
        .withMessage(shown)
        .withLastTransitionTime(since)
        .withObservedGeneration(resource.getMetadata().getGeneration())
        .build();
  }

  private static boolean olderThanRefresh(String lastSyncTime, Instant now) {
    if (lastSyncTime == null) {
      return true;
    }
    try {
      return !Instant.parse(lastSyncTime).plus(LAST_SYNC_REFRESH).isAfter(now);
    } catch (DateTimeParseException e) {
      return true; // status is writable by whoever may patch it; an unreadable time is replaced
    }
  }

  private static SageMakerScalingPolicyStatus copyFacts(SageMakerScalingPolicyStatus s) {
    SageMakerScalingPolicyStatus copy = new SageMakerScalingPolicyStatus();
    copy.setResourceId(s.getResourceId());
    copy.setScalableDimension(s.getScalableDimension());
    copy.setRegion(s.getRegion());
    copy.setEndpoint(s.getEndpoint());
    copy.setPolicies(s.getPolicies());
    copy.setScheduledActions(s.getScheduledActions());
    copy.setScheduledBounds(s.getScheduledBounds());
    copy.setForeignObjects(s.getForeignObjects());
    copy.setRecentActivities(s.getRecentActivities());
    copy.setScaling(s.getScaling());
    copy.setLastSyncTime(s.getLastSyncTime());
    return copy;
  }

  private static void setTarget(SageMakerScalingPolicyStatus status, TargetKey key, String region) {
    if (key != null) {
      status.setResourceId(key.resourceId());
      status.setScalableDimension(key.scalableDimension());
    }
    if (region != null) {
      status.setRegion(region);
    }
  }

  private static String plural(int n, String one, String many) {
    return n == 1 ? one : many;
  }
}
