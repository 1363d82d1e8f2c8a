package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.plan.TargetKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one place that writes conditions. Uses the kstatus vocabulary (Ready, Reconciling, Stalled)
 * so Flux and Argo CD read the resource without configuration, keeps a condition's
 * lastTransitionTime while its status holds, and carries the previous status's AWS facts forward
 * when this reconcile did not look at AWS.
 */
public final class StatusBuilder {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  private final Clock clock;

  public StatusBuilder(Clock clock) {
    this.clock = clock;
  }

  SageMakerScalingPolicyStatus build(SageMakerScalingPolicy resource, Outcome outcome) {
    SageMakerScalingPolicyStatus previous =
        resource.getStatus() == null ? new SageMakerScalingPolicyStatus() : resource.getStatus();
    SageMakerScalingPolicyStatus next = copyFacts(previous);
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();

    Summary summary;
    if (outcome instanceof Outcome.Converged c) {
      setTarget(next, c.key(), c.region());
      next.setEndpoint(c.endpoint());
      next.setPolicies(c.policies());
      next.setScheduledActions(c.scheduledActions());
      next.setForeignObjects(c.foreignObjects());
      c.activities().ifPresent(next::setRecentActivities);
      next.setLastSyncTime(now);
      summary = Summary.ready("Converged", "AWS matches the spec: " + c.policies().size() + " scaling "
          + plural(c.policies().size(), "policy", "policies") + " and " + c.scheduledActions().size() + " scheduled "
          + plural(c.scheduledActions().size(), "action", "actions") + " on " + c.key().resourceId()
          + (c.foreignObjects().isEmpty() ? "" : "; left alone: " + c.foreignObjects().size() + " object(s) owned by others"));
    } else if (outcome instanceof Outcome.Waiting w) {
      setTarget(next, w.key(), w.region());
      if (w.endpoint() != null) {
        next.setEndpoint(w.endpoint());
      }
      summary = Summary.reconciling(w.reason(), w.message());
    } else if (outcome instanceof Outcome.Retrying r) {
      setTarget(next, r.key(), r.region());
      summary = Summary.reconciling(r.reason(), r.message());
    } else if (outcome instanceof Outcome.Stalled s) {
      setTarget(next, s.key(), s.region());
      summary = new Summary("False", s.reason(), s.message(), false, true);
    } else if (outcome instanceof Outcome.Deregistered d) {
      // Nothing is registered any more: forget the AWS facts, so the next registration starts afresh.
      next = new SageMakerScalingPolicyStatus();
      summary = Summary.ready("Paused", d.message());
    } else {
      summary = Summary.ready("Paused", ((Outcome.Paused) outcome).message());
    }
    next.setObservedGeneration(resource.getMetadata().getGeneration());
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(previous, READY, summary.ready(), summary.reason(), summary.message(), resource, now));
    conditions.add(condition(previous, RECONCILING, summary.reconciling() ? "True" : "False",
        summary.reason(), summary.reconciling() ? summary.message() : "", resource, now));
    conditions.add(condition(previous, STALLED, summary.stalled() ? "True" : "False",
        summary.reason(), summary.stalled() ? summary.message() : "", resource, now));
    next.setConditions(conditions);
    return next;
  }

  /** The three conditions of one outcome: Ready's status, the shared reason and message, which of the others is True. */
  private record Summary(String ready, String reason, String message, boolean reconciling, boolean stalled) {
    static Summary ready(String reason, String message) {
      return new Summary("True", reason, message, false, false);
    }

    static Summary reconciling(String reason, String message) {
      return new Summary("False", reason, message, true, false);
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
    copy.setForeignObjects(s.getForeignObjects());
    copy.setRecentActivities(s.getRecentActivities());
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

  private static Condition condition(
      SageMakerScalingPolicyStatus previous, String type, String status, String reason, String message,
      SageMakerScalingPolicy resource, String now) {
    String since = previous.getConditions().stream()
        .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since)
        .withObservedGeneration(resource.getMetadata().getGeneration())
        .build();
  }

  private static String plural(int n, String one, String many) {
    return n == 1 ? one : many;
  }
}
