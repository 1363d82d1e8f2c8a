package dev.sagemaker.autoscaling.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics of the reconciler: passes by outcome and their duration, drift corrections,
 * and how many resources are in each state (the gauge smsp_resources{state}).
 */
public final class ReconcileMetrics {
  static final String[] STATES = {"Ready", "Reconciling", "Stalled", "Paused"};

  private final MeterRegistry registry;
  private final Counter driftCorrections;
  private final Map<String, String> stateByResource = new ConcurrentHashMap<>();

  public ReconcileMetrics(MeterRegistry registry) {
    this.registry = registry;
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

  void recordDriftCorrected() {
    driftCorrections.increment();
  }

  void forget(String uid) {
    stateByResource.remove(uid);
  }
}
