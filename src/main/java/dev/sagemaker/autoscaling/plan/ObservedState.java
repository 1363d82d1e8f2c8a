package dev.sagemaker.autoscaling.plan;

import java.util.List;
import java.util.Optional;

/**
 * What AWS holds for one scalable target: the target, every policy and scheduled action on it (ours
 * and others'), and the alarms whose names carry our prefix.
 */
public record ObservedState(
    Optional<ObservedTarget> target,
    List<ObservedPolicy> policies,
    List<ObservedAlarm> alarms,
    List<ScheduledAction> scheduledActions) {

  public ObservedState {
    policies = List.copyOf(policies);
    alarms = List.copyOf(alarms);
    scheduledActions = List.copyOf(scheduledActions);
  }

  public static ObservedState empty() {
    return new ObservedState(Optional.empty(), List.of(), List.of(), List.of());
  }

  /** A registered target and its ARN (tags and ownership are read separately, only when needed). */
  public record ObservedTarget(ScalableTarget target, String arn) {}

  public record ObservedPolicy(ScalingPolicy policy, String arn) {}

  /**
   * An alarm as AWS holds it, with the actions it points at instead of a policy name, and its state
   * (empty where the reader did not say).
   */
  public record ObservedAlarm(Alarm alarm, List<String> alarmActions, Optional<AlarmState> state) {
    public ObservedAlarm(Alarm alarm, List<String> alarmActions) {
      this(alarm, alarmActions, Optional.empty());
    }
  }
}
