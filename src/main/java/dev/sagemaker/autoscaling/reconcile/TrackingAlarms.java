package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.aws.ScalingApi;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.ObservedState.PolicyAlarm;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The states of the alarms AWS created for target-tracking policies. DescribeScalingPolicies names
 * them; their states are read by name, 100 per DescribeAlarms call, and only for the targets the
 * operator tracks, so a region's other target-tracking alarms cost nothing. AWS owns these alarms:
 * nothing here, or anywhere in the operator, writes or deletes them.
 */
final class TrackingAlarms {
  private TrackingAlarms() {}

  /** The policies of every target, those of {@code tracked} with their alarms' states. */
  static Map<TargetKey, List<ObservedPolicy>> withStates(
      ScalingApi api, Map<TargetKey, List<ObservedPolicy>> policies, Set<TargetKey> tracked) {
    List<String> names =
        tracked.stream()
            .flatMap(k -> policies.getOrDefault(k, List.of()).stream())
            .flatMap(p -> p.alarms().stream())
            .map(PolicyAlarm::name)
            .toList();
    if (names.isEmpty()) {
      return policies;
    }
    Map<String, AlarmState> states = api.describeAlarmStates(names);
    Map<TargetKey, List<ObservedPolicy>> withStates = new HashMap<>(policies);
    for (TargetKey key : tracked) {
      List<ObservedPolicy> ofTarget = policies.get(key);
      if (ofTarget != null) {
        withStates.put(key, ofTarget.stream().map(p -> p.withAlarmStates(states)).toList());
      }
    }
    return withStates;
  }

  /** One target's policies with their alarms' states (no call when none has such alarms). */
  static List<ObservedPolicy> withStates(ScalingApi api, TargetKey key, List<ObservedPolicy> of) {
    return withStates(api, Map.of(key, of), Set.of(key)).get(key);
  }
}
