package dev.sagemaker.autoscaling.fake;

import dev.sagemaker.autoscaling.aws.AwsApiException;
import dev.sagemaker.autoscaling.aws.AwsErrorKind;
import dev.sagemaker.autoscaling.aws.ScalingApi;
import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.EndpointFacts;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedTarget;
import dev.sagemaker.autoscaling.plan.ObservedState.PolicyAlarm;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * An in-memory Application Auto Scaling, CloudWatch and SageMaker for one region, keyed by target,
 * behind our own {@link ScalingApi}. It answers the way {@code SdkScalingApi} does over real AWS:
 * ARNs are assigned once and kept across updates, writes to an unregistered target fail as AWS's
 * ObjectNotFoundException does (kind NOT_FOUND), deletes of missing policies, schedules and targets
 * are no-ops (the SDK implementation swallows not-found there), DeleteAlarms of a missing alarm
 * fails with ResourceNotFound, and deregistering a target deletes its policies and scheduled
 * actions. A target-tracking policy carries the AlarmHigh and AlarmLow AWS creates for it (new
 * names on every put, gone with the policy), whose states {@link #setAlarmState} sets. Every call
 * is recorded, and the next calls can be made to fail with a given kind.
 */
public final class FakeScalingApi implements ScalingApi {
  /** Mutating operations, named as AWS names them. */
  public static final Set<String> WRITES =
      Set.of(
          "RegisterScalableTarget",
          "TagResource",
          "PutScalingPolicy",
          "PutMetricAlarm",
          "PutScheduledAction",
          "DeleteAlarms",
          "DeleteScalingPolicy",
          "DeleteScheduledAction",
          "DeregisterScalableTarget");

  private static final String ACCOUNT = "123456789012";
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  /** One call: the AWS operation and what it named (a target, a policy, alarm names). */
  public record Call(String operation, String subject) {}

  private record Target(ScalableTarget target, String arn, Map<String, String> tags) {}

  private record StoredAlarm(Alarm alarm, String policyArn, Map<String, String> tags) {}

  private final String region;
  private final Map<String, EndpointFacts> endpoints = new HashMap<>();
  private final Map<String, EndpointFacts> components = new HashMap<>();
  private final Map<String, Instant> endpointModified = new HashMap<>();
  private final Map<String, Instant> componentModified = new HashMap<>();
  private final Map<TargetKey, Target> targets = new LinkedHashMap<>();
  private final Map<TargetKey, Map<String, ObservedPolicy>> policies = new HashMap<>();
  private final Map<TargetKey, Map<String, ScheduledAction>> schedules = new HashMap<>();
  private final Map<String, StoredAlarm> alarms = new TreeMap<>();
  private final Map<String, AlarmState> alarmStates = new HashMap<>();
  private final Map<TargetKey, List<ScalingActivity>> activities = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private int failures;
  private AwsErrorKind failureKind;

  public FakeScalingApi(String region) {
    this.region = region;
  }

  // ------------------------------------------------------------------ set-up and inspection

  /** What CloudWatch's SetAlarmState does: the alarm reports this state until it changes. */
  public synchronized void setAlarmState(String alarmName, AlarmState state) {
    alarmStates.put(alarmName, state);
  }

  /** Records an activity, scaled or not, as Application Auto Scaling would. */
  public synchronized void addActivity(TargetKey key, ScalingActivity activity) {
    activities.computeIfAbsent(key, k -> new ArrayList<>()).add(activity);
  }

  /** Sets the capacity SageMaker reports for the endpoint's variants (current and desired). */
  public synchronized void setEndpointCapacity(String name, int current, int desired) {
    EndpointFacts f = endpoints.get(name);
    endpoints.put(
        name,
        new EndpointFacts(
            f.status(),
            f.targetPresent(),
            f.availableTargets(),
            current,
            desired,
            f.instanceType()));
  }

  /** An endpoint whose variants all serve {@code instanceType} with a capacity of 1. */
  public FakeScalingApi withEndpoint(
      String name, String status, String instanceType, String... variants) {
    endpoints.put(
        name,
        new EndpointFacts(
            status, false, List.of(variants), 1, 1, Optional.ofNullable(instanceType)));
    return this;
  }

  /**
   * The endpoint changes (SageMaker moves its LastModifiedTime): its status and capacity from now
   * on.
   */
  public synchronized void modifyEndpoint(
      String name, String status, int currentCapacity, int desiredCapacity) {
    EndpointFacts was = endpoints.get(name);
    endpoints.put(
        name,
        new EndpointFacts(
            status,
            false,
            was.availableTargets(),
            currentCapacity,
            desiredCapacity,
            was.instanceType()));
    endpointModified.merge(name, EPOCH.plusSeconds(1), (a, b) -> a.plusSeconds(1));
  }

  public FakeScalingApi withInferenceComponent(String name, String status) {
    components.put(name, new EndpointFacts(status, true, List.of(name), 1, 1, Optional.empty()));
    return this;
  }

  /**
   * The inference component changes (SageMaker moves its LastModifiedTime): its status and copy
   * counts from now on.
   */
  public synchronized void modifyInferenceComponent(
      String name, String status, int currentCopies, int desiredCopies) {
    components.put(
        name,
        new EndpointFacts(
            status, true, List.of(name), currentCopies, desiredCopies, Optional.empty()));
    componentModified.merge(name, EPOCH.plusSeconds(1), (a, b) -> a.plusSeconds(1));
  }

  /** The inference component is deleted (it leaves the listing too). */
  public synchronized void deleteInferenceComponent(String name) {
    components.remove(name);
    componentModified.remove(name);
  }

  /** The next {@code count} calls, reads or writes, fail with {@code kind}. */
  public synchronized void failNext(int count, AwsErrorKind kind) {
    failures = count;
    failureKind = kind;
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Call> writes() {
    return calls.stream().filter(c -> WRITES.contains(c.operation())).toList();
  }

  public synchronized void clearCalls() {
    calls.clear();
  }

  public synchronized Optional<ScalableTarget> target(TargetKey key) {
    return Optional.ofNullable(targets.get(key)).map(Target::target);
  }

  public synchronized Map<String, String> targetTags(TargetKey key) {
    return targets.containsKey(key) ? Map.copyOf(targets.get(key).tags()) : Map.of();
  }

  public synchronized Map<String, ObservedPolicy> policies(TargetKey key) {
    return Map.copyOf(policies.getOrDefault(key, Map.of()));
  }

  public synchronized Set<String> alarmNames() {
    return Set.copyOf(alarms.keySet());
  }

  /** The policy ARN the alarm's only action points at. */
  public synchronized String alarmAction(String name) {
    return alarms.get(name).policyArn();
  }

  public synchronized Map<String, ScheduledAction> scheduledActions(TargetKey key) {
    return Map.copyOf(schedules.getOrDefault(key, Map.of()));
  }

  /** Someone else (another tool, a console user) changes or creates a policy on the target. */
  public synchronized void putPolicyOutOfBand(TargetKey key, ScalingPolicy policy) {
    requireTarget("PutScalingPolicy", key);
    storePolicy(key, policy);
  }

  /** Someone else registers the target, with their own tags. */
  public synchronized void registerOutOfBand(ScalableTarget target, Map<String, String> tags) {
    targets.put(target.key(), new Target(target, targetArn(), new HashMap<>(tags)));
  }

  // ------------------------------------------------------------------ ScalingApi

  @Override
  public synchronized Optional<EndpointFacts> describeEndpoint(
      String endpointName, String variantName, boolean withInstanceType) {
    call("DescribeEndpoint", endpointName);
    EndpointFacts facts = endpoints.get(endpointName);
    if (facts == null) {
      return Optional.empty();
    }
    if (withInstanceType) {
      call("DescribeEndpointConfig", endpointName);
    }
    boolean present = facts.availableTargets().contains(variantName);
    return Optional.of(
        new EndpointFacts(
            facts.status(),
            present,
            facts.availableTargets(),
            present ? facts.currentCapacity() : null,
            present ? facts.desiredCapacity() : null,
            withInstanceType && present ? facts.instanceType() : Optional.empty()));
  }

  @Override
  public synchronized Optional<EndpointFacts> describeInferenceComponent(String componentName) {
    call("DescribeInferenceComponent", componentName);
    return Optional.ofNullable(components.get(componentName));
  }

  @Override
  public synchronized Map<String, EndpointFacts.Listing> listEndpoints() {
    call("ListEndpoints", "*");
    Map<String, EndpointFacts.Listing> listed = new HashMap<>();
    endpoints.forEach(
        (name, facts) ->
            listed.put(
                name,
                new EndpointFacts.Listing(
                    facts.status(), endpointModified.getOrDefault(name, EPOCH))));
    return listed;
  }

  @Override
  public synchronized Map<String, EndpointFacts.Listing> listInferenceComponents() {
    call("ListInferenceComponents", "*");
    Map<String, EndpointFacts.Listing> listed = new HashMap<>();
    components.forEach(
        (name, facts) ->
            listed.put(
                name,
                new EndpointFacts.Listing(
                    facts.status(), componentModified.getOrDefault(name, EPOCH))));
    return listed;
  }

  @Override
  public synchronized Map<TargetKey, ObservedTarget> describeAllTargets() {
    call("DescribeScalableTargets", "*");
    Map<TargetKey, ObservedTarget> found = new HashMap<>();
    targets.forEach((k, t) -> found.put(k, new ObservedTarget(t.target(), t.arn())));
    return found;
  }

  @Override
  public synchronized Optional<ObservedTarget> describeTarget(TargetKey key) {
    call("DescribeScalableTargets", key.resourceId());
    return Optional.ofNullable(targets.get(key)).map(t -> new ObservedTarget(t.target(), t.arn()));
  }

  @Override
  public synchronized Optional<String> targetOwnerTag(String targetArn) {
    call("ListTagsForResource", targetArn);
    return Optional.ofNullable(byArn("ListTagsForResource", targetArn).tags().get(Owner.TAG_KEY));
  }

  @Override
  public synchronized void tagTarget(String targetArn, Map<String, String> tags) {
    call("TagResource", targetArn);
    byArn("TagResource", targetArn).tags().putAll(tags);
  }

  @Override
  public synchronized List<ObservedPolicy> describePolicies(TargetKey key) {
    call("DescribeScalingPolicies", key.resourceId());
    return List.copyOf(policies.getOrDefault(key, Map.of()).values());
  }

  @Override
  public synchronized List<ObservedAlarm> describeAlarms(String namePrefix) {
    call("DescribeAlarms", namePrefix);
    return alarms.values().stream()
        .filter(a -> a.alarm().name().startsWith(namePrefix))
        .map(
            a ->
                new ObservedAlarm(
                    a.alarm(),
                    a.policyArn() == null ? List.of() : List.of(a.policyArn()),
                    Optional.ofNullable(alarmStates.get(a.alarm().name()))))
        .toList();
  }

  @Override
  public synchronized Map<String, AlarmState> describeAlarmStates(Collection<String> names) {
    List<String> sorted = names.stream().distinct().sorted().toList();
    Map<String, AlarmState> states = new HashMap<>();
    for (int from = 0; from < sorted.size(); from += 100) {
      List<String> batch = sorted.subList(from, Math.min(sorted.size(), from + 100));
      call("DescribeAlarms", String.join(",", batch));
      batch.stream()
          .filter(n -> alarms.containsKey(n) || trackingAlarmExists(n))
          .filter(alarmStates::containsKey)
          .forEach(n -> states.put(n, alarmStates.get(n)));
    }
    return states;
  }

  /** The alarms AWS created for the target-tracking policy, High first; empty for others. */
  public synchronized List<String> trackingAlarmNames(TargetKey key, String policyName) {
    ObservedPolicy p = policies.getOrDefault(key, Map.of()).get(policyName);
    return p == null ? List.of() : p.alarms().stream().map(PolicyAlarm::name).toList();
  }

  private boolean trackingAlarmExists(String name) {
    return policies.values().stream()
        .flatMap(m -> m.values().stream())
        .flatMap(p -> p.alarms().stream())
        .anyMatch(a -> a.name().equals(name));
  }

  @Override
  public synchronized List<ScheduledAction> describeScheduledActions(TargetKey key) {
    call("DescribeScheduledActions", key.resourceId());
    return List.copyOf(schedules.getOrDefault(key, Map.of()).values());
  }

  @Override
  public synchronized Map<TargetKey, ObservedTarget> describeTargets(Collection<TargetKey> keys) {
    call("DescribeScalableTargets", keys.size() + " targets");
    Map<TargetKey, ObservedTarget> found = new HashMap<>();
    keys.stream()
        .filter(targets::containsKey)
        .forEach(
            k -> found.put(k, new ObservedTarget(targets.get(k).target(), targets.get(k).arn())));
    return found;
  }

  @Override
  public synchronized Map<TargetKey, List<ObservedPolicy>> describeAllPolicies() {
    call("DescribeScalingPolicies", "*");
    Map<TargetKey, List<ObservedPolicy>> all = new HashMap<>();
    policies.forEach((k, v) -> all.put(k, List.copyOf(v.values())));
    return all;
  }

  @Override
  public synchronized Map<TargetKey, List<ScheduledAction>> describeAllScheduledActions() {
    call("DescribeScheduledActions", "*");
    Map<TargetKey, List<ScheduledAction>> all = new HashMap<>();
    schedules.forEach((k, v) -> all.put(k, List.copyOf(v.values())));
    return all;
  }

  @Override
  public synchronized List<ScalingActivity> describeRecentActivities(TargetKey key, int max) {
    call("DescribeScalingActivities", key.resourceId());
    return activities.getOrDefault(key, List.of()).stream()
        .sorted(Comparator.comparing(ScalingActivity::startTime).reversed())
        .limit(max)
        .toList();
  }

  @Override
  public synchronized String registerTarget(
      ScalableTarget target, Map<String, String> tags, boolean create) {
    call("RegisterScalableTarget", target.key().resourceId());
    Target existing = targets.get(target.key());
    // AWS applies tags only when it creates the target; a later registration updates the bounds
    // only.
    Target stored =
        existing == null
            ? new Target(target, targetArn(), new HashMap<>(tags))
            : new Target(target, existing.arn(), existing.tags());
    targets.put(target.key(), stored);
    return stored.arn();
  }

  @Override
  public synchronized String putPolicy(TargetKey key, ScalingPolicy policy) {
    call("PutScalingPolicy", policy.name());
    requireTarget("PutScalingPolicy", key);
    return storePolicy(key, policy);
  }

  @Override
  public synchronized void putAlarm(Alarm alarm, String policyArn, Map<String, String> tags) {
    call("PutMetricAlarm", alarm.name());
    StoredAlarm existing = alarms.get(alarm.name());
    alarms.put(
        alarm.name(),
        new StoredAlarm(alarm, policyArn, existing == null ? Map.copyOf(tags) : existing.tags()));
  }

  @Override
  public synchronized void putScheduledAction(TargetKey key, ScheduledAction action) {
    call("PutScheduledAction", action.name());
    requireTarget("PutScheduledAction", key);
    schedules.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(action.name(), action);
  }

  @Override
  public synchronized void deleteAlarms(List<String> names) {
    call("DeleteAlarms", String.join(",", names));
    // CloudWatch deletes the names that exist whatever it answers for the others, and the
    // interface's deletes tolerate objects already gone.
    names.forEach(alarms::remove);
  }

  @Override
  public synchronized void deletePolicy(TargetKey key, String name) {
    call("DeleteScalingPolicy", name);
    Map<String, ObservedPolicy> onTarget = policies.get(key);
    if (onTarget != null) {
      ObservedPolicy removed = onTarget.remove(name);
      if (removed != null) {
        removed.alarms().forEach(a -> alarmStates.remove(a.name()));
      }
    }
  }

  @Override
  public synchronized void deleteScheduledAction(TargetKey key, String name) {
    call("DeleteScheduledAction", name);
    Map<String, ScheduledAction> onTarget = schedules.get(key);
    if (onTarget != null) {
      onTarget.remove(name);
    }
  }

  @Override
  public synchronized void deregisterTarget(TargetKey key) {
    call("DeregisterScalableTarget", key.resourceId());
    // AWS deletes the target's policies and scheduled actions with it; alarms stay in CloudWatch.
    targets.remove(key);
    Map<String, ObservedPolicy> removed = policies.remove(key);
    if (removed != null) {
      removed.values().forEach(p -> p.alarms().forEach(a -> alarmStates.remove(a.name())));
    }
    schedules.remove(key);
  }

  // ------------------------------------------------------------------ internals

  private void call(String operation, String subject) {
    calls.add(new Call(operation, subject));
    if (failures > 0) {
      failures--;
      throw new AwsApiException(
          failureKind, operation, codeOf(failureKind), "injected failure", null);
    }
  }

  private static String codeOf(AwsErrorKind kind) {
    return switch (kind) {
      case RECOVERABLE -> "ThrottlingException";
      case TERMINAL -> "AccessDeniedException";
      case NOT_FOUND -> "ObjectNotFoundException";
    };
  }

  private void requireTarget(String operation, TargetKey key) {
    if (!targets.containsKey(key)) {
      throw new AwsApiException(
          AwsErrorKind.NOT_FOUND,
          operation,
          "ObjectNotFoundException",
          "No scalable target registered for service namespace: sagemaker, resource ID: "
              + key.resourceId()
              + ", scalable dimension: "
              + key.scalableDimension(),
          null);
    }
  }

  private Target byArn(String operation, String arn) {
    return targets.values().stream()
        .filter(t -> t.arn().equals(arn))
        .findFirst()
        .orElseThrow(
            () ->
                new AwsApiException(
                    AwsErrorKind.NOT_FOUND,
                    operation,
                    "ResourceNotFoundException",
                    "no scalable target with ARN " + arn,
                    null));
  }

  /** Put keeps a policy's ARN when the policy exists, as AWS does. */
  private String storePolicy(TargetKey key, ScalingPolicy policy) {
    Map<String, ObservedPolicy> onTarget =
        policies.computeIfAbsent(key, k -> new LinkedHashMap<>());
    ObservedPolicy existing = onTarget.get(policy.name());
    String arn =
        existing != null
            ? existing.arn()
            : arn(
                () ->
                    "autoscaling:"
                        + region
                        + ":"
                        + ACCOUNT
                        + ":scalingPolicy:"
                        + UUID.randomUUID()
                        + ":resource/sagemaker/"
                        + key.resourceId()
                        + ":policyName/"
                        + policy.name());
    if (existing != null) {
      existing.alarms().forEach(a -> alarmStates.remove(a.name()));
    }
    onTarget.put(policy.name(), new ObservedPolicy(policy, arn, trackingAlarms(key, policy)));
    return arn;
  }

  /**
   * What PutScalingPolicy does for a target-tracking policy on AWS: an AlarmHigh and an AlarmLow
   * named after the resource, made anew on every put; none for a step policy.
   */
  private static List<PolicyAlarm> trackingAlarms(TargetKey key, ScalingPolicy policy) {
    if (!(policy.config() instanceof PolicyConfig.TargetTracking)) {
      return List.of();
    }
    return List.of(
        new PolicyAlarm("TargetTracking-" + key.resourceId() + "-AlarmHigh-" + UUID.randomUUID()),
        new PolicyAlarm("TargetTracking-" + key.resourceId() + "-AlarmLow-" + UUID.randomUUID()));
  }

  private String targetArn() {
    return arn(
        () ->
            "application-autoscaling:"
                + region
                + ":"
                + ACCOUNT
                + ":scalable-target/"
                + UUID.randomUUID().toString().replace("-", ""));
  }

  private static String arn(Supplier<String> rest) {
    return "arn:aws:" + rest.get();
  }
}
