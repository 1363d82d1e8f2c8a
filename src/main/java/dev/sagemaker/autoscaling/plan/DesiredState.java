package dev.sagemaker.autoscaling.plan;

import java.util.List;
import java.util.Map;

/** Everything AWS must hold for one resource, computed from its spec alone. */
public record DesiredState(
    ScalableTarget target,
    List<ScalingPolicy> policies,
    List<Alarm> alarms,
    List<ScheduledAction> scheduledActions,
    Map<String, String> tags) {
  public DesiredState {
    policies = List.copyOf(policies);
    alarms = List.copyOf(alarms);
    scheduledActions = List.copyOf(scheduledActions);
    tags = Map.copyOf(tags);
  }
}
