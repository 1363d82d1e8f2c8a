package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.EndpointStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.PolicyStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingActivityStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingStatus;
import dev.sagemaker.autoscaling.aws.AwsApiException;
import dev.sagemaker.autoscaling.aws.ScalingApi;
import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.Change;
import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.Differ;
import dev.sagemaker.autoscaling.plan.EndpointFacts;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedTarget;
import dev.sagemaker.autoscaling.plan.ObservedState.PolicyAlarm;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.Plan;
import dev.sagemaker.autoscaling.plan.Planner;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import dev.sagemaker.autoscaling.plan.ScheduledBounds;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One pass of observe, plan, diff, apply for a resource, against one {@link ScalingApi}. Holds no
 * state between passes: AWS and the resource are the only memory, so a crash between two writes is
 * finished by the next pass.
 */
final class Converger {
  /**
   * Read in one call: not-scaled activities can come every minute, so a short page could hide the
   * latest scaling.
   */
  private static final int RECENT_ACTIVITIES = 20;

  private static final int SHOWN_ACTIVITIES = 3;
  private final ScalingApi api;
  private final Function<List<String>, CompletableFuture<Void>> deleteAlarms;

  Converger(ScalingApi api) {
    this(
        api,
        names -> {
          api.deleteAlarms(names);
          return CompletableFuture.completedFuture(null);
        });
  }

  /**
   * @param deleteAlarms deletes up to 100 alarms by name, directly or in a call shared with other
   *     resources ({@link AlarmDeletions}); the future completes when they are gone
   */
  Converger(ScalingApi api, Function<List<String>, CompletableFuture<Void>> deleteAlarms) {
    this.api = api;
    this.deleteAlarms = deleteAlarms;
  }

  /**
   * @param knownOwned what the last status says this resource owns: describes are skipped for kinds
   *     of object that neither the spec nor the last status mention
   * @param adopt take over a target registered by someone else (the adopt annotation)
   * @param snapshot what AWS held a moment ago, from the shared inventory; empty reads AWS directly
   */
  Outcome converge(
      SageMakerScalingPolicySpec spec,
      Owner owner,
      String region,
      OwnedSummary knownOwned,
      boolean adopt,
      Optional<ObservedState> snapshot) {
    return converge(spec, owner, region, knownOwned, adopt, snapshot, false);
  }

  /**
   * @param resync AWS was last converged to this very spec: bounds one of its scheduled actions set
   *     are left in force (see {@link Differ#converge(DesiredState, ObservedState, Owner,
   *     boolean)})
   */
  Outcome converge(
      SageMakerScalingPolicySpec spec,
      Owner owner,
      String region,
      OwnedSummary knownOwned,
      boolean adopt,
      Optional<ObservedState> snapshot,
      boolean resync) {
    return converge(
        spec,
        owner,
        region,
        knownOwned,
        adopt,
        new Reads(snapshot, EndpointReads.direct(api)),
        resync,
        Optional.empty());
  }

  /**
   * @param reads what AWS held a moment ago and how to read the endpoint, from the shared inventory
   *     or directly
   * @param lastSeen the scaling status the last pass wrote (an empty one before any): activities
   *     are also read when capacity, bounds or an alarm state moved since; empty leaves that out
   */
  Outcome converge(
      SageMakerScalingPolicySpec spec,
      Owner owner,
      String region,
      OwnedSummary knownOwned,
      boolean adopt,
      Reads reads,
      boolean resync,
      Optional<ScalingStatus> lastSeen) {
    Optional<ObservedState> snapshot = reads.snapshot();
    TargetKey key = Planner.targetKey(spec);
    // The status names a target only once this resource is known to hold it.
    TargetKey recordable = knownOwned.target() ? key : null;
    Optional<EndpointFacts> facts = observeEndpoint(spec, reads.endpoints());
    if (facts.isEmpty()) {
      String what =
          spec.getTarget().getInferenceComponentName() != null
              ? "inference component " + spec.getTarget().getInferenceComponentName()
              : "endpoint " + spec.getTarget().getEndpointName();
      return new Outcome.Waiting(
          recordable,
          region,
          Reason.EndpointNotFound,
          "waiting for SageMaker " + what + " in " + region + " to exist",
          null);
    }
    EndpointFacts endpoint = facts.get();
    EndpointStatus endpointStatus = endpointStatus(endpoint);
    if (!endpoint.targetPresent()) {
      return new Outcome.Waiting(
          recordable,
          region,
          Reason.VariantNotFound,
          "endpoint "
              + spec.getTarget().getEndpointName()
              + " has no variant "
              + spec.getTarget().effectiveVariantName()
              + " (it has "
              + String.join(", ", endpoint.availableTargets())
              + "); waiting for it",
          endpointStatus);
    }
    if (!endpoint.inService()) {
      return new Outcome.Waiting(
          recordable,
          region,
          Reason.EndpointNotInService,
          "SageMaker reports "
              + endpoint.status()
              + "; autoscaling is written once it is InService",
          endpointStatus);
    }

    Plan plan = Planner.plan(spec, owner, endpoint.instanceType());
    if (plan instanceof Plan.Invalid invalid) {
      return new Outcome.Stalled(key, region, Reason.InvalidSpec, invalid.message());
    }
    DesiredState desired = ((Plan.Valid) plan).desired();

    ObservedState observed =
        snapshot.orElseGet(
            () ->
                withTrackingAlarmStates(
                    key,
                    observe(
                        key,
                        owner,
                        !desired.alarms().isEmpty() || knownOwned.alarms(),
                        !desired.scheduledActions().isEmpty() || knownOwned.scheduledActions())));
    List<Change> changes = Differ.converge(desired, observed, owner, resync);
    Optional<String> refused = ownershipRefusal(observed, changes, key, owner, knownOwned, adopt);
    if (refused.isPresent()) {
      return new Outcome.Stalled(null, region, Reason.Conflict, refused.get());
    }
    Optional<ScheduledBounds> scheduledBounds =
        resync
            ? observed.target().flatMap(t -> ScheduledBounds.inForce(desired, t.target()))
            : Optional.empty();
    List<Change> rest = changes;
    Change.RegisterTarget creating =
        !changes.isEmpty() && changes.get(0) instanceof Change.RegisterTarget r && r.create()
            ? r
            : null;
    boolean created = creating != null;
    if (created) {
      // No one held the target a moment ago. Of several resources that register it at once, the
      // one whose tag AWS kept holds it; the others stop before writing more.
      String arn = api.registerTarget(creating.target(), creating.tags(), true);
      Optional<String> lost =
          refusal(
              TargetOwnership.claimTarget(
                  key, ownerTag(new ObservedTarget(creating.target(), arn)), owner, false));
      if (lost.isPresent()) {
        return new Outcome.Stalled(null, region, Reason.Conflict, lost.get());
      }
      rest = changes.subList(1, changes.size());
    }
    Map<String, String> arns = apply(rest, observed, Converger::await);
    boolean registered = changes.stream().anyMatch(c -> c instanceof Change.RegisterTarget);
    ScalingObservation seen =
        scalingObservation(owner, endpoint, desired, observed, registered, Optional.empty());
    // Activities cost a call: read them when something changed or capacity or an alarm moved, not
    // on quiet resyncs. A target this pass created has no history yet; whatever its registration
    // sets off starts asynchronously and is read on a later pass, when capacity moves.
    boolean moving = !Objects.equals(endpoint.currentCapacity(), endpoint.desiredCapacity());
    Optional<List<ScalingActivity>> read =
        moving
                || (!created
                    && (snapshot.isEmpty()
                        || !changes.isEmpty()
                        || lastSeen
                            .filter(l -> ScalingStory.activitiesWorthReading(l, seen))
                            .isPresent()))
            ? Optional.of(api.describeRecentActivities(key, RECENT_ACTIVITIES))
            : Optional.empty();
    Optional<List<ScalingActivityStatus>> activities =
        read.map(list -> list.stream().limit(SHOWN_ACTIVITIES).map(ScalingStory::status).toList());
    return new Outcome.Converged(
        key,
        region,
        endpointStatus,
        policyStatuses(desired, arns),
        desired.scheduledActions().stream().map(ScheduledAction::name).toList(),
        Differ.foreignObjects(observed, owner),
        changes.stream().map(Converger::describe).toList(),
        activities,
        scheduledBounds,
        scalingObservation(owner, endpoint, desired, observed, registered, read));
  }

  /**
   * Capacities, and the states of the alarms the spec wants as AWS reported them with the alarms (a
   * just-created alarm has none yet) and of the alarms AWS created for its target-tracking
   * policies; bounds as the target holds them in AWS, or as this pass just registered them.
   */
  private static ScalingObservation scalingObservation(
      Owner owner,
      EndpointFacts endpoint,
      DesiredState desired,
      ObservedState observed,
      boolean registered,
      Optional<List<ScalingActivity>> activities) {
    Map<String, ObservedAlarm> byName = new HashMap<>();
    observed.alarms().forEach(a -> byName.put(a.alarm().name(), a));
    List<ScalingObservation.NamedAlarmState> alarms = new ArrayList<>();
    for (Alarm alarm : desired.alarms()) {
      ObservedAlarm o = byName.get(alarm.name());
      alarms.add(
          new ScalingObservation.NamedAlarmState(
              alarm.name(), o == null ? null : o.state().orElse(null)));
    }
    Map<String, ObservedPolicy> policies = new HashMap<>();
    observed.policies().forEach(p -> policies.put(p.policy().name(), p));
    for (ScalingPolicy policy : desired.policies()) {
      ObservedPolicy o = policies.get(policy.name());
      if (policy.config() instanceof PolicyConfig.TargetTracking && o != null) {
        o.alarms().stream()
            .sorted(Comparator.comparing(PolicyAlarm::name))
            .forEach(
                a ->
                    alarms.add(
                        new ScalingObservation.NamedAlarmState(
                            a.name(), a.state().orElse(null), policy.name())));
      }
    }
    ScalableTarget bounds =
        registered
            ? desired.target()
            : observed.target().map(ObservedTarget::target).orElse(desired.target());
    return new ScalingObservation(
        owner.prefix(),
        endpoint.currentCapacity(),
        endpoint.desiredCapacity(),
        bounds == null ? null : bounds.minCapacity(),
        bounds == null ? null : bounds.maxCapacity(),
        alarms,
        activities);
  }

  /**
   * Why this pass must not write, if it must not: an alarm with our name that another owner's mark
   * holds, or a registered target whose owner tag names someone else. The tag is read before any
   * write, and on a pass that would report a target the status does not yet record; a quiet pass
   * over a target already converged on reads nothing more.
   */
  private Optional<String> ownershipRefusal(
      ObservedState observed,
      List<Change> changes,
      TargetKey key,
      Owner owner,
      OwnedSummary knownOwned,
      boolean adopt) {
    List<Alarm> heldAlarms = TargetOwnership.alarmsHeldByOthers(observed.alarms(), owner);
    if (!heldAlarms.isEmpty()) {
      return Optional.of(TargetOwnership.alarmsHeldByOthersMessage(heldAlarms, owner));
    }
    if (observed.target().isEmpty() || (knownOwned.target() && changes.isEmpty())) {
      return Optional.empty();
    }
    ObservedTarget target = observed.target().get();
    TargetOwnership.Claim claim = TargetOwnership.claimTarget(key, ownerTag(target), owner, adopt);
    if (claim instanceof TargetOwnership.Claim.Adopt) {
      api.tagTarget(target.arn(), owner.tags());
    }
    return refusal(claim);
  }

  private static Optional<String> refusal(TargetOwnership.Claim claim) {
    return claim instanceof TargetOwnership.Claim.Refused r
        ? Optional.of(r.message())
        : Optional.empty();
  }

  private Optional<String> ownerTag(ObservedTarget target) {
    return target.arn() == null ? Optional.empty() : api.targetOwnerTag(target.arn());
  }

  /**
   * Deletes what this resource holds in AWS: its marked alarms, and the target's policies,
   * scheduled actions and the target itself only when the target's owner tag names this resource
   * (the target only when nobody else uses it). Whatever the status says, a resource that never
   * held the target removes nothing of the holder's. A target that carries only our objects is
   * deregistered, which makes AWS delete its policies and scheduled actions with it, so the seed
   * stack goes in two writes (its alarms, then the target) instead of one per object; with foreign
   * objects present each of ours is deleted by name and the target stays.
   */
  List<String> teardown(TargetKey key, Owner owner) {
    return startTeardown(key, owner, Optional.empty()).awaited();
  }

  /**
   * The teardown without waiting for the alarms: they go in a DeleteAlarms call shared with other
   * teardowns, which may leave a moment later; everything else is done when this returns.
   *
   * @param ownAlarms the alarms with the owner's name prefix, from a snapshot known to hold every
   *     alarm the owner's passes wrote ({@link Inventory#alarmsForTeardown}); empty reads them. The
   *     target, its policies and scheduled actions and its owner tag are always read from AWS: they
   *     decide whether deregistering would take someone else's objects with it.
   */
  Teardown startTeardown(TargetKey key, Owner owner, Optional<List<ObservedAlarm>> ownAlarms) {
    ObservedState observed =
        new ObservedState(
            api.describeTarget(key),
            api.describePolicies(key),
            ownAlarms.orElseGet(() -> api.describeAlarms(owner.prefix())),
            api.describeScheduledActions(key));
    ObservedState owned =
        TargetOwnership.ownedPart(observed, observed.target().flatMap(this::ownerTag), owner);
    List<Change> changes = Differ.teardown(key, owned, owner, owned.target().isPresent());
    if (changes.stream().anyMatch(c -> c instanceof Change.DeregisterTarget)) {
      changes =
          changes.stream()
              .filter(
                  c ->
                      !(c instanceof Change.DeletePolicy)
                          && !(c instanceof Change.DeleteScheduledAction))
              .toList();
    }
    List<CompletableFuture<Void>> alarmDeletions = new ArrayList<>();
    apply(changes, observed, alarmDeletions::add);
    return new Teardown(
        changes.stream().map(Converger::describe).toList(),
        CompletableFuture.allOf(alarmDeletions.toArray(CompletableFuture[]::new)));
  }

  /**
   * What a teardown removed, and its alarm deletions, which may still be on their way.
   *
   * @param alarmsDeleted completes when every alarm of the teardown is gone, or fails as the
   *     DeleteAlarms call that carried some of them failed
   */
  record Teardown(List<String> removed, CompletableFuture<Void> alarmsDeleted) {
    /** Waits for the alarms; throws what deleting them threw. */
    List<String> awaited() {
      await(alarmsDeleted);
      return removed;
    }
  }

  /**
   * Waits for an alarm deletion; throws the {@link AwsApiException} (or other unchecked failure)
   * its call threw.
   */
  static void await(CompletableFuture<Void> alarmDeletion) {
    try {
      alarmDeletion.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  private Optional<EndpointFacts> observeEndpoint(
      SageMakerScalingPolicySpec spec, EndpointReads endpoints) {
    if (spec.getTarget().getInferenceComponentName() != null) {
      return endpoints.inferenceComponent(spec.getTarget().getInferenceComponentName());
    }
    return endpoints.endpoint(
        spec.getTarget().getEndpointName(),
        spec.getTarget().effectiveVariantName(),
        Planner.needsInstanceType(spec));
  }

  /** The states of the alarms AWS created for the target's target-tracking policies, if any. */
  private ObservedState withTrackingAlarmStates(TargetKey key, ObservedState observed) {
    return new ObservedState(
        observed.target(),
        TrackingAlarms.withStates(api, key, observed.policies()),
        observed.alarms(),
        observed.scheduledActions());
  }

  private ObservedState observe(TargetKey key, Owner owner, boolean alarms, boolean schedules) {
    return new ObservedState(
        api.describeTarget(key),
        api.describePolicies(key),
        alarms ? api.describeAlarms(owner.prefix()) : List.of(),
        schedules ? api.describeScheduledActions(key) : List.of());
  }

  /**
   * Applies changes in order; returns every policy's ARN, new or existing.
   *
   * @param alarmDeletions takes each alarm deletion handed over: to wait for it, or to keep it
   */
  private Map<String, String> apply(
      List<Change> changes,
      ObservedState observed,
      Consumer<CompletableFuture<Void>> alarmDeletions) {
    Map<String, String> arns = new HashMap<>();
    for (ObservedPolicy p : observed.policies()) {
      arns.put(p.policy().name(), p.arn());
    }
    for (Change change : changes) {
      if (change instanceof Change.RegisterTarget c) {
        api.registerTarget(c.target(), c.tags(), c.create());
      } else if (change instanceof Change.PutPolicy c) {
        arns.put(c.policy().name(), api.putPolicy(c.key(), c.policy()));
      } else if (change instanceof Change.PutAlarm c) {
        api.putAlarm(c.alarm(), arns.get(c.alarm().policyName()), c.tags());
      } else if (change instanceof Change.PutScheduledAction c) {
        api.putScheduledAction(c.key(), c.action());
      } else if (change instanceof Change.DeleteAlarms c) {
        alarmDeletions.accept(deleteAlarms.apply(c.names()));
      } else if (change instanceof Change.DeletePolicy c) {
        api.deletePolicy(c.key(), c.name());
        arns.remove(c.name());
      } else if (change instanceof Change.DeleteScheduledAction c) {
        api.deleteScheduledAction(c.key(), c.name());
      } else if (change instanceof Change.DeregisterTarget c) {
        api.deregisterTarget(c.key());
      }
    }
    return arns;
  }

  private static List<PolicyStatus> policyStatuses(DesiredState desired, Map<String, String> arns) {
    Map<String, List<String>> alarmsByPolicy = new HashMap<>();
    for (Alarm alarm : desired.alarms()) {
      alarmsByPolicy.computeIfAbsent(alarm.policyName(), k -> new ArrayList<>()).add(alarm.name());
    }
    List<PolicyStatus> statuses = new ArrayList<>();
    for (ScalingPolicy policy : desired.policies()) {
      statuses.add(
          new PolicyStatus(
              policy.name(),
              policy.config().policyType(),
              arns.get(policy.name()),
              alarmsByPolicy.getOrDefault(policy.name(), List.of())));
    }
    return statuses;
  }

  private static EndpointStatus endpointStatus(EndpointFacts facts) {
    EndpointStatus status = new EndpointStatus();
    status.setStatus(facts.status());
    status.setCurrentCapacity(facts.currentCapacity());
    status.setDesiredCapacity(facts.desiredCapacity());
    status.setInstanceType(facts.instanceType().orElse(null));
    return status;
  }

  static String describe(Change change) {
    return change.operation() + " " + change.subject();
  }

  /**
   * How a pass learns about an endpoint and its variant (instance type only when asked), or about
   * an inference component.
   */
  interface EndpointReads {
    Optional<EndpointFacts> endpoint(String endpoint, String variant, boolean withInstanceType);

    Optional<EndpointFacts> inferenceComponent(String component);

    /** Every read a description from AWS. */
    static EndpointReads direct(ScalingApi api) {
      return new EndpointReads() {
        @Override
        public Optional<EndpointFacts> endpoint(
            String endpoint, String variant, boolean withInstanceType) {
          return api.describeEndpoint(endpoint, variant, withInstanceType);
        }

        @Override
        public Optional<EndpointFacts> inferenceComponent(String component) {
          return api.describeInferenceComponent(component);
        }
      };
    }
  }

  /**
   * What a pass reads: the target's state from a snapshot (empty: describe it), and the endpoint.
   */
  record Reads(Optional<ObservedState> snapshot, EndpointReads endpoints) {
    /** Everything from AWS itself. */
    static Reads direct(ScalingApi api) {
      return new Reads(Optional.empty(), EndpointReads.direct(api));
    }
  }

  /**
   * What the last status says this resource owns: the target, and whether any alarms or schedules.
   */
  record OwnedSummary(boolean target, boolean alarms, boolean scheduledActions) {}
}
