package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.aws.ScalingApi;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What AWS holds for every resource of one region and identity, read in the background with a few
 * batched calls (50 targets, 10 policies, 100 alarms per call) instead of four calls per resource
 * and resync. Resync passes read their target from here; a pass after a spec change, or for a
 * target written since the snapshot was taken, reads AWS directly, so the operator never judges its
 * own writes by older data. Out-of-band changes show up in the next snapshot, within one resync
 * period.
 */
final class Inventory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Inventory.class);

  private final Clock clock;
  private final Duration maxAge;
  private final String alarmPrefix;
  private final Map<String, Scope> scopes = new ConcurrentHashMap<>();
  private final Map<TargetKey, Instant> writtenAt = new ConcurrentHashMap<>();
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
    long every = Math.max(1, resync.toMillis() / 2);
    refresher.scheduleWithFixedDelay(this::refreshAll, every, every, TimeUnit.MILLISECONDS);
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

  /** The targets of one region and identity, and the latest snapshot of them. */
  private static final class Scope {
    final ScalingApi api;
    final Set<TargetKey> keys = ConcurrentHashMap.newKeySet();
    volatile Snapshot snapshot;

    Scope(ScalingApi api) {
      this.api = api;
    }
  }

  private record Snapshot(
      Instant takenAt,
      Set<TargetKey> covered,
      Map<TargetKey, ObservedTarget> targets,
      Map<TargetKey, List<ObservedPolicy>> policies,
      Map<TargetKey, List<ScheduledAction>> schedules,
      List<ObservedAlarm> alarms) {}

  /** Includes the target in the next snapshots of its scope. */
  void track(String scope, ScalingApi api, TargetKey key) {
    scopes.computeIfAbsent(scope, s -> new Scope(api)).keys.add(key);
  }

  /** Leaves the target out of the next snapshots, in whichever scope it was. */
  void untrack(TargetKey key) {
    scopes.values().forEach(s -> s.keys.remove(key));
    writtenAt.remove(key);
  }

  /** The target was just written: the snapshot's view of it is stale until the next one. */
  void written(TargetKey key) {
    writtenAt.put(key, clock.instant());
  }

  /**
   * The target's state from the latest snapshot, or empty when that cannot be trusted for it.
   *
   * @param scopeKeys every converged target of the scope, for the first snapshot after a start: one
   *     batched read then serves them all, instead of four reads each (DescribeAlarms alone is
   *     paced at 9 per second, which would make a restart with 1,000 resources take minutes)
   */
  Optional<ObservedState> observe(
      String scope,
      ScalingApi api,
      TargetKey key,
      Owner owner,
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
    Snapshot snapshot = s.snapshot;
    if (snapshot == null
        || !snapshot.covered().contains(key)
        || snapshot.takenAt().plus(maxAge).isBefore(clock.instant())) {
      return Optional.empty();
    }
    Instant written = writtenAt.get(key);
    if (written != null && !snapshot.takenAt().isAfter(written)) {
      return Optional.empty();
    }
    return Optional.of(
        new ObservedState(
            Optional.ofNullable(snapshot.targets().get(key)),
            snapshot.policies().getOrDefault(key, List.of()),
            snapshot.alarms().stream().filter(a -> owner.owns(a.alarm().name())).toList(),
            snapshot.schedules().getOrDefault(key, List.of())));
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
  }

  private void refresh(String name, Scope scope) {
    try {
      Instant takenAt = clock.instant();
      Set<TargetKey> covered = Set.copyOf(scope.keys);
      scope.snapshot =
          new Snapshot(
              takenAt,
              covered,
              Map.copyOf(scope.api.describeTargets(covered)),
              Map.copyOf(scope.api.describeAllPolicies()),
              Map.copyOf(scope.api.describeAllScheduledActions()),
              List.copyOf(scope.api.describeAlarms(alarmPrefix)));
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
