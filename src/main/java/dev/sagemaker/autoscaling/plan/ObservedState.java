package dev.sagemaker.autoscaling.plan;

import java.util.List;
import java.util.Map;
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

  /**
   * A policy and, for a target-tracking policy, the alarms AWS created for it (AWS owns them: they
   * are read, never written or deleted).
   */
  public record ObservedPolicy(ScalingPolicy policy, String arn, List<PolicyAlarm> alarms) {
    public ObservedPolicy {
      alarms = List.copyOf(alarms);
    }

    public ObservedPolicy(ScalingPolicy policy, String arn) {
      this(policy, arn, List.of());
    }

    /** The same policy with its alarms' states from {@code states} (by alarm name). */
    public ObservedPolicy withAlarmStates(Map<String, AlarmState> states) {
      return new ObservedPolicy(
          policy,
          arn,
          alarms.stream()
              .map(a -> new PolicyAlarm(a.name(), Optional.ofNullable(states.get(a.name()))))
              .toList());
    }
  }

  /**
   * An alarm Application Auto Scaling created for a target-tracking policy ({@code
   * TargetTracking-<resource id>-AlarmHigh-<uuid>} and {@code ...-AlarmLow-<uuid>}), and its state
   * once read (DescribeScalingPolicies names the alarm, CloudWatch holds the state).
   */
  public record PolicyAlarm(String name, Optional<AlarmState> state) {
    private static final String LOW_SIDE = "-AlarmLow-";

    public PolicyAlarm(String name) {
      this(name, Optional.empty());
    }

    /**
     * The scale-in alarm: in ALARM whenever load sits below the target, which at low load is its
     * normal state.
     */
    public static boolean lowSide(String name) {
      return name != null && name.contains(LOW_SIDE);
    }
  }

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
