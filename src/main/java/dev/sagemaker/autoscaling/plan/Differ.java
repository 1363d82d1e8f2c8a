package dev.sagemaker.autoscaling.plan;

import dev.sagemaker.autoscaling.plan.Change.DeleteAlarms;
import dev.sagemaker.autoscaling.plan.Change.DeletePolicy;
import dev.sagemaker.autoscaling.plan.Change.DeleteScheduledAction;
import dev.sagemaker.autoscaling.plan.Change.DeregisterTarget;
import dev.sagemaker.autoscaling.plan.Change.PutAlarm;
import dev.sagemaker.autoscaling.plan.Change.PutPolicy;
import dev.sagemaker.autoscaling.plan.Change.PutScheduledAction;
import dev.sagemaker.autoscaling.plan.Change.RegisterTarget;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pure: the AWS writes that make observed equal to desired, touching only objects the owner's name
 * prefix marks as its own. Returns nothing when AWS already matches, so a converged resource costs
 * no write.
 */
public final class Differ {
  /** DeleteAlarms takes at most 100 names. */
  static final int DELETE_ALARMS_BATCH = 100;

  private Differ() {}

  /** As a spec change: the spec's bounds are registered whatever a schedule set. */
  public static List<Change> converge(DesiredState desired, ObservedState observed, Owner owner) {
    return converge(desired, observed, owner, false);
  }

  /**
   * @param resync the spec is the one AWS was last converged to: bounds a scheduled action of the
   *     spec explains ({@link ScheduledBounds}) are kept, other differences (suspension,
   *     unexplained bounds) are still written. False for a new spec, whose bounds apply even inside
   *     a schedule window.
   */
  public static List<Change> converge(
      DesiredState desired, ObservedState observed, Owner owner, boolean resync) {
    TargetKey key = desired.target().key();
    List<Change> changes = new ArrayList<>();

    if (observed.target().isEmpty()) {
      changes.add(new RegisterTarget(desired.target(), desired.tags(), true));
    } else {
      ScalableTarget current = observed.target().get().target();
      ScalableTarget want = desired.target();
      if (resync && ScheduledBounds.inForce(desired, current).isPresent()) {
        want =
            new ScalableTarget(
                want.key(), current.minCapacity(), current.maxCapacity(), want.suspension());
      }
      if (!current.equals(want)) {
        changes.add(new RegisterTarget(want, desired.tags(), false));
      }
    }

    Set<String> desiredAlarms = names(desired.alarms(), Alarm::name);
    Set<String> desiredPolicies = names(desired.policies(), ScalingPolicy::name);
    Set<String> desiredSchedules = names(desired.scheduledActions(), ScheduledAction::name);

    // Alarms go before their policies so no alarm is left pointing at a deleted policy.
    List<String> staleAlarms =
        observed.alarms().stream()
            .map(a -> a.alarm().name())
            .filter(owner::owns)
            .filter(n -> !desiredAlarms.contains(n))
            .sorted()
            .toList();
    changes.addAll(deleteAlarms(staleAlarms));
    observed.policies().stream()
        .map(p -> p.policy().name())
        .filter(owner::owns)
        .filter(n -> !desiredPolicies.contains(n))
        .sorted()
        .forEach(n -> changes.add(new DeletePolicy(key, n)));
    observed.scheduledActions().stream()
        .map(ScheduledAction::name)
        .filter(owner::owns)
        .filter(n -> !desiredSchedules.contains(n))
        .sorted()
        .forEach(n -> changes.add(new DeleteScheduledAction(key, n)));

    Map<String, ObservedPolicy> policies = byName(observed.policies(), p -> p.policy().name());
    Set<String> rewritten = new HashSet<>();
    for (ScalingPolicy policy : desired.policies()) {
      ObservedPolicy current = policies.get(policy.name());
      if (current == null || !current.policy().equals(policy)) {
        changes.add(new PutPolicy(key, policy));
        rewritten.add(policy.name());
      }
    }

    Map<String, ObservedAlarm> alarms = byName(observed.alarms(), a -> a.alarm().name());
    for (Alarm alarm : desired.alarms()) {
      ObservedAlarm current = alarms.get(alarm.name());
      ObservedPolicy target = policies.get(alarm.policyName());
      // A policy put again may come back with a new ARN, so its alarm is put again with it.
      boolean pointsAtPolicy =
          target != null
              && !rewritten.contains(alarm.policyName())
              && current != null
              && current.alarmActions().equals(List.of(target.arn()));
      if (current == null || !current.alarm().equals(alarm) || !pointsAtPolicy) {
        changes.add(new PutAlarm(alarm, desired.tags()));
      }
    }

    Map<String, ScheduledAction> schedules =
        byName(observed.scheduledActions(), ScheduledAction::name);
    for (ScheduledAction action : desired.scheduledActions()) {
      ScheduledAction current = schedules.get(action.name());
      if (current == null || !sameSchedule(current, action)) {
        changes.add(new PutScheduledAction(key, action));
      }
    }
    return changes;
  }

  /**
   * Everything the owner created, in deletion order. The target is deregistered only when no one
   * else's policy or scheduled action is on it, because deregistering deletes those too.
   */
  public static List<Change> teardown(
      TargetKey key, ObservedState observed, Owner owner, boolean targetIsOurs) {
    List<Change> changes =
        new ArrayList<>(
            deleteAlarms(
                observed.alarms().stream()
                    .map(a -> a.alarm().name())
                    .filter(owner::owns)
                    .sorted()
                    .toList()));
    observed.policies().stream()
        .map(p -> p.policy().name())
        .filter(owner::owns)
        .sorted()
        .forEach(n -> changes.add(new DeletePolicy(key, n)));
    observed.scheduledActions().stream()
        .map(ScheduledAction::name)
        .filter(owner::owns)
        .sorted()
        .forEach(n -> changes.add(new DeleteScheduledAction(key, n)));
    if (targetIsOurs
        && observed.target().isPresent()
        && foreignObjects(observed, owner).isEmpty()) {
      changes.add(new DeregisterTarget(key));
    }
    return changes;
  }

  /** Names of policies and scheduled actions on the target that the owner did not create. */
  public static List<String> foreignObjects(ObservedState observed, Owner owner) {
    List<String> foreign = new ArrayList<>();
    observed.policies().stream()
        .map(p -> p.policy().name())
        .filter(n -> !owner.owns(n))
        .forEach(foreign::add);
    observed.scheduledActions().stream()
        .map(ScheduledAction::name)
        .filter(n -> !owner.owns(n))
        .forEach(foreign::add);
    foreign.sort(null);
    return foreign;
  }

  private static List<Change> deleteAlarms(List<String> names) {
    List<Change> batches = new ArrayList<>();
    for (int i = 0; i < names.size(); i += DELETE_ALARMS_BATCH) {
      batches.add(
          new DeleteAlarms(names.subList(i, Math.min(names.size(), i + DELETE_ALARMS_BATCH))));
    }
    return batches;
  }

  /** AWS reports an unset time zone as UTC; both mean the same schedule. */
  private static boolean sameSchedule(ScheduledAction a, ScheduledAction b) {
    return a.name().equals(b.name())
        && a.schedule().equals(b.schedule())
        && zone(a.timezone()).equals(zone(b.timezone()))
        && Objects.equals(a.startTime(), b.startTime())
        && Objects.equals(a.endTime(), b.endTime())
        && Objects.equals(a.minCapacity(), b.minCapacity())
        && Objects.equals(a.maxCapacity(), b.maxCapacity());
  }

  private static String zone(String timezone) {
    return timezone == null || timezone.equals("Etc/UTC") ? "UTC" : timezone;
  }

  private static <T> Set<String> names(List<T> items, Function<T, String> name) {
    return items.stream().map(name).collect(Collectors.toSet());
  }

  private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
    return items.stream().collect(Collectors.toMap(name, Function.identity(), (a, b) -> a));
  }
}
