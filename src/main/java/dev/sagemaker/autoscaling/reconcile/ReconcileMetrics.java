package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.AlarmStateStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingStatus;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Prometheus metrics of the reconciler: passes by outcome and their duration, drift corrections,
 * and how many resources are in each state (the gauge smsp_resources{state}), and when each
 * resource was last verified against AWS (smsp_last_sync_timestamp_seconds{namespace,name}).
 */
public final class ReconcileMetrics {
  static final String[] STATES = {"Ready", "Reconciling", "Stalled", "Paused"};
  static final String CAPACITY = "smsp_capacity";
  static final String ALARM_STATE = "smsp_alarm_state";
  static final String HELD_AT_MAX = "smsp_held_at_max_seconds";
  static final String NOT_SCALED = "smsp_not_scaled_activities";
  private static final String[] CAPACITIES = {"current", "desired", "min", "max"};
  private static final String[] ALARM_STATES = {
    AlarmState.OK, AlarmState.ALARM, AlarmState.INSUFFICIENT_DATA
  };
  private static final Tag[] CAPACITY_TAGS = tags("type", CAPACITIES);
  private static final Tag[] ALARM_STATE_TAGS = tags("state", ALARM_STATES);

  private final MeterRegistry registry;
  private final Counter driftCorrections;
  private final Map<String, String> stateByResource = new ConcurrentHashMap<>();
  private final Map<String, LastSync> lastSyncByResource = new ConcurrentHashMap<>();
  private final Map<String, Scaling> scalingByResource = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Map<String, Long> nextLookByResource = new ConcurrentHashMap<>();
  private final Map<String, Counter> deferredByNamespace = new ConcurrentHashMap<>();
  private final Map<String, Gauge> inFlightByNamespace = new ConcurrentHashMap<>();

  /** One resource's smsp_last_sync_timestamp_seconds gauge and the epoch seconds it reads. */
  private record LastSync(Gauge gauge, AtomicLong epochSeconds) {}

  public ReconcileMetrics(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  ReconcileMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.driftCorrections =
        Counter.builder("smsp_drift_corrections")
            .description("Passes that found AWS changed out of band and restored it")
            .register(registry);
    for (String state : STATES) {
      Gauge.builder(
              "smsp_resources",
              stateByResource,
              m -> m.values().stream().filter(state::equals).count())
          .description("SageMakerScalingPolicy resources by state")
          .tag("state", state)
          .register(registry);
    }
    gaugeWaiting();
  }

  private static Tag[] tags(String key, String[] values) {
    Tag[] tags = new Tag[values.length];
    for (int i = 0; i < values.length; i++) {
      tags[i] = Tag.of(key, values[i]);
    }
    return tags;
  }

  void recordPass(String uid, Outcome outcome, Duration duration) {
    stateByResource.put(uid, stateOf(outcome));
    Timer.builder("smsp_reconcile")
        .description("Reconcile passes by outcome")
        .tag("outcome", outcome.getClass().getSimpleName())
        .register(registry)
        .record(duration);
  }

  private static String stateOf(Outcome outcome) {
    if (outcome instanceof Outcome.Converged) {
      return "Ready";
    }
    if (outcome instanceof Outcome.Paused || outcome instanceof Outcome.Deregistered) {
      return "Paused";
    }
    return outcome instanceof Outcome.Stalled ? "Stalled" : "Reconciling";
  }

  /**
   * AWS was just verified equal to the spec: the per-resource freshness that status.lastSyncTime no
   * longer carries on every resync (writing it would be an API-server write per resource per
   * resync).
   */
  void recordSynced(String uid, String namespace, String name) {
    lastSyncByResource
        .computeIfAbsent(
            uid,
            u -> {
              AtomicLong seconds = new AtomicLong();
              Gauge gauge =
                  Gauge.builder(
                          "smsp_last_sync_timestamp_seconds", seconds, AtomicLong::doubleValue)
                      .description(
                          "When AWS was last verified equal to the resource's spec, in Unix"
                              + " seconds")
                      .tag("namespace", namespace)
                      .tag("name", name)
                      .register(registry);
              return new LastSync(gauge, seconds);
            })
        .epochSeconds()
        .set(clock.instant().getEpochSecond());
  }

  /**
   * The resource waits for its endpoint or variant and looks again after {@code nextLook}, or
   * (empty) it does not wait. Gauges: how many resources wait, and the longest current interval.
   */
  void recordWait(String uid, Optional<Duration> nextLook) {
    nextLook.ifPresentOrElse(
        delay -> nextLookByResource.put(uid, delay.toMillis()),
        () -> nextLookByResource.remove(uid));
  }

  private void gaugeWaiting() {
    Gauge.builder("smsp_waiting_resources", nextLookByResource, Map::size)
        .description("Resources waiting for their endpoint or variant to exist or be InService")
        .register(registry);
    Gauge.builder(
            "smsp_waiting_next_look_max_seconds",
            nextLookByResource,
            m -> m.values().stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0)
        .description(
            "The longest interval after which a waiting resource looks at its endpoint again"
                + " (it doubles per look, up to the cap)")
        .register(registry);
  }

  /**
   * What the pass saw of the resource's scaling: capacities, each alarm's state, the time held at
   * max (read at scrape time, so it grows between passes) and the not-scaled activities it learned
   * of, by reason.
   */
  void recordScaling(
      String uid,
      String namespace,
      String name,
      ScalingStatus scaling,
      List<ScalingActivity> newActivities) {
    if (scaling == null) {
      return;
    }
    // Gauges read the latest values at scrape time, so each is registered once, not every pass.
    Scaling meters =
        scalingByResource.computeIfAbsent(uid, u -> registerScaling(new Scaling(namespace, name)));
    meters.update(scaling);
    for (ScalingActivity a : newActivities) {
      ScalingStory.notScaledReason(a)
          .ifPresent(
              reason ->
                  meters.counter(
                      Counter.builder(NOT_SCALED)
                          .description(
                              "Not-scaled activities Application Auto Scaling recorded for the"
                                  + " target, by reason, as the operator read them")
                          .tags(meters.tags)
                          .tag("reason", reason)));
    }
  }

  private Scaling registerScaling(Scaling meters) {
    for (int i = 0; i < CAPACITIES.length; i++) {
      String type = CAPACITIES[i];
      meters.register(
          Gauge.builder(CAPACITY, meters, m -> capacity(m.latest, type))
              .description(
                  "Capacity of the resource's scalable target: current and desired as SageMaker"
                      + " reports them, min and max as the target holds them in AWS")
              .tags(meters.tags.and(CAPACITY_TAGS[i])));
    }
    meters.register(
        Gauge.builder(
                HELD_AT_MAX,
                meters,
                m ->
                    ScalingStory.heldAtMaxFor(m.latest.heldAtMaxSince(), clock.instant())
                        .toSeconds())
            .description(
                "Seconds the target has been held at maxCapacity by not-scaled activities, 0 when"
                    + " it is not")
            .tags(meters.tags));
    return meters;
  }

  private static double capacity(Gauged s, String type) {
    Integer value =
        switch (type) {
          case "current" -> s.current();
          case "desired" -> s.desired();
          case "min" -> s.min();
          default -> s.max();
        };
    return value == null ? Double.NaN : value;
  }

  /**
   * What the scaling gauges read of the latest status, and nothing else: the status itself (alarms,
   * activities, episodes; the informer cache holds another copy of it) was kept per resource only
   * for these five values.
   */
  private record Gauged(
      Integer current, Integer desired, Integer min, Integer max, String heldAtMaxSince) {
    static final Gauged NONE = new Gauged(null, null, null, null, null);

    static Gauged of(ScalingStatus s) {
      return new Gauged(
          s.getCurrentCapacity(),
          s.getDesiredCapacity(),
          s.getMinCapacity(),
          s.getMaxCapacity(),
          s.getHeldAtMaxSince());
    }
  }

  /**
   * One alarm's state as its three gauges read it, and those gauges. A scrape reads three gauges
   * per alarm: a field each reads, where a walk of the status's alarms for each made a scrape at
   * 1,000 resources quadratic in the alarms per resource (an eighth of its CPU).
   */
  private static final class AlarmGauges {
    volatile String state;
    final List<Meter> meters = new ArrayList<>(ALARM_STATES.length);
  }

  /**
   * One resource's scaling meters, removed together when it is deleted. Plain collections under the
   * object's lock: the passes of one resource run one at a time, and a scrape reads only the
   * volatile values (at 1,000 resources a concurrent map per alarm cost 3 KiB per resource).
   */
  private final class Scaling {
    final Tags tags;
    volatile Gauged latest = Gauged.NONE;
    private final List<Meter> meters = new ArrayList<>(CAPACITIES.length + 1);
    private final Map<String, AlarmGauges> alarms = new HashMap<>();

    Scaling(String namespace, String name) {
      this.tags = Tags.of("namespace", namespace, "name", name);
    }

    synchronized void register(Gauge.Builder<?> builder) {
      meters.add(builder.register(registry));
    }

    /**
     * The latest status: its values for the gauges, its alarms' states (the first entry of an alarm
     * listed twice), new alarms registered, and an alarm the resource no longer has (its step left
     * the spec, or AWS replaced a target-tracking alarm) no longer exported: a series left behind
     * would report its last state for ever, and alerts on it would fire for an alarm that is gone.
     */
    synchronized void update(ScalingStatus scaling) {
      latest = Gauged.of(scaling);
      Set<String> seen = new HashSet<>();
      for (AlarmStateStatus alarm : scaling.getAlarms()) {
        if (seen.add(alarm.getName())) {
          alarms.computeIfAbsent(alarm.getName(), n -> registerAlarm(alarm)).state =
              knownState(alarm.getState());
        }
      }
      alarms
          .entrySet()
          .removeIf(
              e -> {
                if (seen.contains(e.getKey())) {
                  return false;
                }
                e.getValue().meters.forEach(registry::remove);
                return true;
              });
    }

    private AlarmGauges registerAlarm(AlarmStateStatus alarm) {
      AlarmGauges gauges = new AlarmGauges();
      // One Tags for the alarm and one Tag per state, shared by its gauges' ids.
      Tags alarmTags =
          tags.and(
              Tag.of("alarm", alarm.getName()),
              Tag.of(
                  "policy_type",
                  alarm.getTargetTrackingPolicy() == null ? "step" : "target-tracking"));
      for (int i = 0; i < ALARM_STATES.length; i++) {
        String state = ALARM_STATES[i];
        gauges.meters.add(
            Gauge.builder(ALARM_STATE, gauges, g -> state.equals(g.state) ? 1 : 0)
                .description(
                    "1 for the state each alarm of the resource's policies is in (OK, ALARM,"
                        + " INSUFFICIENT_DATA), 0 for the others")
                .tags(alarmTags.and(ALARM_STATE_TAGS[i]))
                .register(registry));
      }
      return gauges;
    }

    synchronized void counter(Counter.Builder builder) {
      Counter counter = builder.register(registry);
      if (!meters.contains(counter)) {
        meters.add(counter);
      }
      counter.increment();
    }

    synchronized void removeAll() {
      meters.forEach(registry::remove);
      alarms.values().forEach(a -> a.meters.forEach(registry::remove));
    }
  }

  /** The state as one of the constants, so a resource's alarms do not each keep a copy. */
  private static String knownState(String state) {
    for (String known : ALARM_STATES) {
      if (known.equals(state)) {
        return known;
      }
    }
    return state;
  }

  /**
   * A pass for the namespace was deferred by {@link PassAdmission}: the namespace already held its
   * share of the reconciler threads.
   */
  void recordPassDeferred(String namespace) {
    deferredByNamespace
        .computeIfAbsent(
            namespace,
            ns ->
                Counter.builder("smsp_passes_deferred")
                    .description(
                        "Passes deferred because their namespace held its share of the reconciler"
                            + " threads; each comes back after 1-2 s")
                    .tag("namespace", ns)
                    .register(registry))
        .increment();
  }

  /** The gauge of the namespace's passes in flight, read from {@code inFlight}, once. */
  void gaugePassesInFlight(String namespace, Supplier<Number> inFlight) {
    inFlightByNamespace.computeIfAbsent(
        namespace,
        ns ->
            Gauge.builder("smsp_passes_in_flight", inFlight)
                .description("Reconcile passes running now, by namespace")
                .tag("namespace", ns)
                .register(registry));
  }

  void recordDriftCorrected() {
    driftCorrections.increment();
  }

  void forget(String uid) {
    stateByResource.remove(uid);
    nextLookByResource.remove(uid);
    Scaling scaling = scalingByResource.remove(uid);
    if (scaling != null) {
      scaling.removeAll();
    }
    LastSync lastSync = lastSyncByResource.remove(uid);
    if (lastSync != null) {
      registry.remove(lastSync.gauge());
    }
  }
}
