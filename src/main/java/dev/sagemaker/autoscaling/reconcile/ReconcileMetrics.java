package dev.sagemaker.autoscaling.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics of the reconciler: passes by outcome and their duration, drift corrections,
 * and how many resources are in each state (the gauge smsp_resources{state}), and when each
 * resource was last verified against AWS (smsp_last_sync_timestamp_seconds{namespace,name}).
 */
public final class ReconcileMetrics {
  static final String[] STATES = {"Ready", "Reconciling", "Stalled", "Paused"};

  private final MeterRegistry registry;
  private final Counter driftCorrections;
  private final Map<String, String> stateByResource = new ConcurrentHashMap<>();
  private final Map<String, LastSync> lastSyncByResource = new ConcurrentHashMap<>();
  private final Clock clock;

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

  void recordDriftCorrected() {
    driftCorrections.increment();
  }

  void forget(String uid) {
    stateByResource.remove(uid);
    LastSync lastSync = lastSyncByResource.remove(uid);
    if (lastSync != null) {
      registry.remove(lastSync.gauge());
    }
  }
}
