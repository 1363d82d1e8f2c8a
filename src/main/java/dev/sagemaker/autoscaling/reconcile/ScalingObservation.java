package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.ObservedState.PolicyAlarm;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import java.util.List;
import java.util.Optional;

/**
 * What a converged pass saw of the target's scaling: capacities, the states of its alarms, and its
 * latest activities when they were read (they cost a call, so quiet resyncs skip them).
 *
 * @param alarmPrefix what every alarm name of the resource starts with
 * @param minCapacity the bounds in force on the target in AWS (a schedule may have set them)
 */
record ScalingObservation(
    String alarmPrefix,
    Integer currentCapacity,
    Integer desiredCapacity,
    Integer minCapacity,
    Integer maxCapacity,
    List<NamedAlarmState> alarms,
    Optional<List<ScalingActivity>> activities) {

  ScalingObservation {
    alarms = List.copyOf(alarms);
  }

  /** Nothing was seen (the outcome came from somewhere that does not observe scaling). */
  static ScalingObservation none() {
    return new ScalingObservation(null, null, null, null, null, List.of(), Optional.empty());
  }

  boolean seen() {
    return currentCapacity != null || maxCapacity != null || !alarms.isEmpty();
  }

  /**
   * An alarm of the resource's policies and its state.
   *
   * @param trackingPolicy the target-tracking policy AWS created the alarm for; null for the step
   *     alarms the operator writes
   */
  record NamedAlarmState(String name, AlarmState state, String trackingPolicy) {
    NamedAlarmState(String name, AlarmState state) {
      this(name, state, null);
    }

    /** A target-tracking policy's scale-in alarm, in ALARM whenever load is below the target. */
    boolean scaleInTracking() {
      return trackingPolicy != null && PolicyAlarm.lowSide(name);
    }
  }
}
