package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.aws.ScalingApi;
import dev.sagemaker.autoscaling.plan.EndpointFacts;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedTarget;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What AWS holds for every resource of one region and identity, read in the background with a few
 * batched calls (50 targets, 10 policies, 100 alarms, 100 endpoints or inference components per
 * call) instead of five calls per resource and pass. The alarms are ours, by prefix, and the states
 * of the alarms AWS created for the tracked targets' target-tracking policies, by name (one more
 * call per 100 of them). Resync passes and first passes read their target from here; a target
 * written since the snapshot was taken is read from AWS directly, so the operator never judges its
 * own writes by older data. Out-of-band changes show up in the next snapshot, within one resync
 * period; a first pass trusts a snapshot only while it is {@link #FIRST_PASS_MAX_AGE} young, so a
 * target someone else registered a moment before our resource appeared is still seen.
 */
final class Inventory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Inventory.class);

  /**
   * How old a snapshot a first pass may plan on: long enough to carry a cold start of a few hundred
   * resources on one batched read, short enough that a new resource later on reads AWS itself.
   */
  static final Duration FIRST_PASS_MAX_AGE = Duration.ofSeconds(30);

  private final Clock clock;
  private final Duration maxAge;
  private final String alarmPrefix;
  private final Map<String, Scope> scopes = new ConcurrentHashMap<>();
  private final Map<TargetKey, Instant> writtenAt = new ConcurrentHashMap<>();

  /**
   * When the last pass of each resource (by UID) that may have written an alarm ended: alarms are
   * named after the resource, not the target, so the target's marks cannot stand for them.
   */
  private final Map<String, Instant> passWroteAt = new ConcurrentHashMap<>();

  private final ScheduledExecutorService refresher;

  /**
   * @param resync the resync period: snapshots are taken every half period and trusted for one
   * @param alarmPrefix the cluster's alarm name prefix ({@code smsp_<cluster>_}): every alarm we
   *     own
   * @param refresher runs the background refresh; {@link #close()} shuts it down
   */
  Inventory(Clock clock, Duration resync, String alarmPrefix, ScheduledExecutorService refresher) {
    this.clock = clock;
    this.maxAge = resync;
    this.alarmPrefix = alarmPrefix;
    this.refresher = refresher;
    // At a fixed rate, not a fixed delay: a snapshot is then at most half a period plus one refresh
    // old when the next one lands, so a refresh that takes long (a loaded back end, 1,000 targets)
    // does not leave resyncs without a trusted snapshot.
    long every = Math.max(1, resync.toMillis() / 2);
    refresher.scheduleAtFixedRate(this::refreshAll, every, every, TimeUnit.MILLISECONDS);
  }

  /** The production refresher: one daemon thread, so a stuck AWS call never holds the JVM open. */
  static ScheduledExecutorService newRefresher() {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "aws-inventory");
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * The targets of one region and identity (tracked: worth refreshing in the background), the
   * latest snapshot of them, and the endpoint descriptions read since, by the listing they matched.
   */
  private static final class Scope {
    final ScalingApi api;
    final Set<TargetKey> keys = ConcurrentHashMap.newKeySet();
    final Map<EndpointQuery, Described> endpoints = new ConcurrentHashMap<>();
    final Map<String, Described> components = new ConcurrentHashMap<>();

    /**
     * A pass asked for an inference component: from now on snapshots list them too (one more call
     * per refresh, which a scope of endpoints only does not need).
     */
    volatile boolean listsComponents;

    volatile Snapshot snapshot;

    Scope(ScalingApi api) {
      this.api = api;
    }
  }

  /** Every target, policy, scheduled action and endpoint of the scope, and our alarms. */
  private record Snapshot(
      Instant takenAt,
      Map<TargetKey, ObservedTarget> targets,
      Map<TargetKey, List<ObservedPolicy>> policies,
      Map<TargetKey, List<ScheduledAction>> schedules,
      List<ObservedAlarm> alarms,
      Map<String, List<ObservedAlarm>> alarmsByOwnerPrefix,
      Map<String, EndpointFacts.Listing> endpoints,
      Optional<Map<String, EndpointFacts.Listing>> components) {

    static Snapshot of(
        Instant takenAt,
        Map<TargetKey, ObservedTarget> targets,
        Map<TargetKey, List<ObservedPolicy>> policies,
        Map<TargetKey, List<ScheduledAction>> schedules,
        List<ObservedAlarm> alarms,
        Map<String, EndpointFacts.Listing> endpoints,
        Optional<Map<String, EndpointFacts.Listing>> components) {
      return new Snapshot(
          takenAt,
          targets,
          policies,
          schedules,
          alarms,
          alarms.stream()
              .filter(a -> a.alarm().name() != null)
              .collect(
                  Collectors.groupingBy(
                      a -> ownerPrefix(a.alarm().name()), Collectors.toUnmodifiableList())),
          endpoints,
          components);
    }

    /**
     * The alarms {@code owner} owns. Every pass asks, and a walk of all the cluster's alarms for
     * each made a resync quadratic in the resources (2,000 alarms for each of 1,000 passes); by
     * owner prefix it is one lookup.
     */
    List<ObservedAlarm> alarmsOf(Owner owner) {
      String prefix = owner.prefix();
      if (!ownerPrefix(prefix).equals(prefix)) {
        return alarms.stream().filter(a -> owner.owns(a.alarm().name())).toList();
      }
      return alarmsByOwnerPrefix.getOrDefault(prefix, List.of());
    }
  }

  /**
   * A name up to its fourth underscore: for an alarm of ours, its owner's {@link Owner#prefix()}
   * ({@code smsp_<cluster>_<namespace>_<name>_}, whose parts cannot hold an underscore); empty for
   * a name with fewer.
   */
  static String ownerPrefix(String name) {
    int end = -1;
    for (int underscores = 0; underscores < 4; underscores++) {
      end = name.indexOf('_', end + 1);
      if (end < 0) {
        return "";
      }
    }
    return name.substring(0, end + 1);
  }

  /** What a pass asks of an endpoint. */
  private record EndpointQuery(String endpoint, String variant, boolean withInstanceType) {}

  /** A description, and the LastModifiedTime the endpoint was listed with when it was read. */
  private record Described(Instant lastModified, EndpointFacts facts) {}

  /** Includes the target in the next snapshots of its scope. */
  void track(String scope, ScalingApi api, TargetKey key) {
    scopes.computeIfAbsent(scope, s -> new Scope(api)).keys.add(key);
  }

  /** Leaves the target out of the background refresh, in whichever scope it was. */
  void untrack(TargetKey key) {
    scopes.values().forEach(s -> s.keys.remove(key));
  }

  /** The target was just written: the snapshot's view of it is stale until the next one. */
  void written(TargetKey key) {
    writtenAt.put(key, clock.instant());
  }

  /**
   * The target's state from the latest snapshot, or empty when that cannot be trusted for it.
   *
   * @param firstPass the resource has never been passed: the snapshot must be young (see {@link
   *     #FIRST_PASS_MAX_AGE})
   * @param scopeKeys every converged target of the scope, for the first snapshot after a start: one
   *     batched read then serves them all, instead of four reads each (DescribeAlarms alone is
   *     paced at 9 per second, which would make a restart with 1,000 resources take minutes)
   */
  Optional<ObservedState> observe(
      String scope,
      ScalingApi api,
      TargetKey key,
      Owner owner,
      boolean firstPass,
      Supplier<Collection<TargetKey>> scopeKeys) {
    Optional<Snapshot> trusted = trustedSnapshot(scope, api, key, firstPass, scopeKeys);
    return trusted.map(
        snapshot ->
            new ObservedState(
                Optional.ofNullable(snapshot.targets().get(key)),
                snapshot.policies().getOrDefault(key, List.of()),
                snapshot.alarmsOf(owner),
                snapshot.schedules().getOrDefault(key, List.of())));
  }

  /** As {@link #observe(String, ScalingApi, TargetKey, Owner, boolean, Supplier)}, for a resync. */
  Optional<ObservedState> observe(
      String scope,
      ScalingApi api,
      TargetKey key,
      Owner owner,
      Supplier<Collection<TargetKey>> scopeKeys) {
    return observe(scope, api, key, owner, false, scopeKeys);
  }

  private Optional<Snapshot> trustedSnapshot(
      String scope,
      ScalingApi api,
      TargetKey key,
      boolean firstPass,
      Supplier<Collection<TargetKey>> scopeKeys) {
    Scope s = scopes.computeIfAbsent(scope, name -> new Scope(api));
    if (s.snapshot == null) {
      synchronized (s) {
        if (s.snapshot == null) {
          s.keys.addAll(scopeKeys.get());
          refresh(scope, s);
        }
      }
    }
    // The write mark is read before the snapshot: a snapshot assigned in between is only newer.
    Instant written = writtenAt.get(key);
    Snapshot snapshot = s.snapshot;
    Duration trustedFor = firstPass ? FIRST_PASS_MAX_AGE : maxAge;
    if (snapshot == null || snapshot.takenAt().plus(trustedFor).isBefore(clock.instant())) {
      return Optional.empty();
    }
    if (written != null && !snapshot.takenAt().isAfter(written)) {
      return Optional.empty();
    }
    return Optional.of(snapshot);
  }

  /**
   * A pass of the resource with this UID has ended, and may have written alarms (any pass but a
   * converged one without changes, including one that failed midway).
   */
  void passMayHaveWritten(String uid) {
    passWroteAt.put(uid, clock.instant());
  }

  /** The resource is gone: its passes are over. */
  void forgetPasses(String uid) {
    passWroteAt.remove(uid);
  }

  /**
   * The owner's alarms (by name prefix) for its deletion, from the scope's latest snapshot, or
   * empty when that may miss one. Only the owner's own passes write alarms with its prefix and
   * mark, and deletion starts only after its last pass ended (JOSDK runs one at a time per
   * resource, and no pass once the resource is being deleted), so a snapshot taken after that pass
   * ended holds them all; so does any snapshot of this process when no pass of it wrote, since a
   * snapshot is taken after the start. A snapshot older than the resync period is not used: the
   * alarms' owner marks are read from it, and a mark someone changed since is caught within that
   * period at worst. Whether the target may be deregistered is never decided here: that needs what
   * is on the target now, read from AWS.
   */
  Optional<List<ObservedAlarm>> alarmsForTeardown(String scope, String uid, Owner owner) {
    // The pass mark is read before the snapshot: a snapshot assigned in between is only newer.
    Instant passWrote = passWroteAt.get(uid);
    Scope s = scopes.get(scope);
    Snapshot snapshot = s == null ? null : s.snapshot;
    if (snapshot == null || snapshot.takenAt().plus(maxAge).isBefore(clock.instant())) {
      return Optional.empty();
    }
    if (passWrote != null && !snapshot.takenAt().isAfter(passWrote)) {
      return Optional.empty();
    }
    return Optional.of(
        snapshot.alarms().stream().filter(a -> owner.owns(a.alarm().name())).toList());
  }

  /**
   * The endpoint as a pass sees it through the snapshot's listing: a description read before is
   * reused while the endpoint's LastModifiedTime is unchanged and it was settled (InService, not
   * scaling); anything else is described. An endpoint missing from the listing may have appeared
   * since, so it is described too.
   */
  Optional<EndpointFacts> endpoint(
      String scope, ScalingApi api, String endpoint, String variant, boolean withInstanceType) {
    Scope s = scopes.get(scope);
    Snapshot snapshot = s == null ? null : s.snapshot;
    return throughListing(
        snapshot == null ? null : snapshot.endpoints().get(endpoint),
        s == null ? null : s.endpoints,
        new EndpointQuery(endpoint, variant, withInstanceType),
        () -> api.describeEndpoint(endpoint, variant, withInstanceType));
  }

  /**
   * The inference component through the snapshot's listing of components, as {@link #endpoint} does
   * for endpoints: described only when it is new to the operator, its LastModifiedTime moved, or it
   * was not settled (InService at its desired copy count) when last described.
   */
  Optional<EndpointFacts> inferenceComponent(String scope, ScalingApi api, String component) {
    Scope s = scopes.get(scope);
    if (s != null) {
      s.listsComponents = true;
    }
    Snapshot snapshot = s == null ? null : s.snapshot;
    return throughListing(
        snapshot == null
            ? null
            : snapshot.components().map(listed -> listed.get(component)).orElse(null),
        s == null ? null : s.components,
        component,
        () -> api.describeInferenceComponent(component));
  }

  private static <Q> Optional<EndpointFacts> throughListing(
      EndpointFacts.Listing listed,
      Map<Q, Described> described,
      Q query,
      Supplier<Optional<EndpointFacts>> describe) {
    if (listed == null || listed.lastModified() == null) {
      return describe.get();
    }
    Described before = described.get(query);
    if (before != null && before.lastModified().equals(listed.lastModified())) {
      return Optional.of(before.facts());
    }
    Optional<EndpointFacts> facts = describe.get();
    facts
        .filter(EndpointFacts::settled)
        .ifPresentOrElse(
            f -> described.put(query, new Described(listed.lastModified(), f)),
            () -> described.remove(query));
    return facts;
  }

  /** Takes a new snapshot of every scope with tracked targets (what the refresher runs). */
  void refreshAll() {
    scopes.forEach(
        (name, scope) -> {
          if (!scope.keys.isEmpty()) {
            synchronized (scope) {
              refresh(name, scope);
            }
          }
        });
    // A write older than any snapshot still trusted is in every one of them.
    Instant settled = clock.instant().minus(maxAge);
    writtenAt.values().removeIf(at -> at.isBefore(settled));
    passWroteAt.values().removeIf(at -> at.isBefore(settled));
  }

  private void refresh(String name, Scope scope) {
    try {
      Instant takenAt = clock.instant();
      Snapshot snapshot =
          Snapshot.of(
              takenAt,
              Map.copyOf(scope.api.describeAllTargets()),
              Map.copyOf(
                  TrackingAlarms.withStates(
                      scope.api, scope.api.describeAllPolicies(), Set.copyOf(scope.keys))),
              Map.copyOf(scope.api.describeAllScheduledActions()),
              List.copyOf(scope.api.describeAlarms(alarmPrefix)),
              Map.copyOf(scope.api.listEndpoints()),
              scope.listsComponents
                  ? Optional.of(Map.copyOf(scope.api.listInferenceComponents()))
                  : Optional.empty());
      scope.snapshot = snapshot;
      scope.endpoints.keySet().removeIf(q -> !snapshot.endpoints().containsKey(q.endpoint()));
      snapshot
          .components()
          .ifPresent(listed -> scope.components.keySet().removeIf(c -> !listed.containsKey(c)));
    } catch (RuntimeException e) {
      // Passes read AWS directly until a snapshot succeeds.
      LOG.warn("could not refresh the AWS inventory of {}: {}", name, e.getMessage());
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
