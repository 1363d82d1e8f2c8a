package dev.sagemaker.autoscaling.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS call by service, operation and outcome: the Prometheus counter
 * smsp_aws_calls_total, and plain totals that benchmarks and tests read.
 */
public final class AwsCallMetrics implements ExecutionInterceptor {
  private static final Set<String> READ_PREFIXES = Set.of("Describe", "List", "Get");

  private final MeterRegistry registry;
  private final Map<String, LongAdder> totals = new ConcurrentHashMap<>();

  public AwsCallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    record(attributes, "success");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    record(attributes, "error");
  }

  private void record(ExecutionAttributes attributes, String outcome) {
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    totals.computeIfAbsent(operation, k -> new LongAdder()).increment();
    Counter.builder("smsp_aws_calls")
        .description("AWS API calls made by the operator")
        .tag("service", String.valueOf(service))
        .tag("operation", String.valueOf(operation))
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    Duration waited = attributes.getAttribute(RateLimits.PACING_WAIT);
    if (waited != null) {
      Timer.builder("smsp_aws_pacing_wait")
          .description(
              "Time AWS calls waited for their slot in the operator's pacing, by the namespace"
                  + " they were made for (empty: the operator's shared inventory reads)")
          .tag("namespace", attributes.getAttribute(RateLimits.PACED_FOR))
          .tag("operation", String.valueOf(operation))
          .register(registry)
          .record(waited);
    }
  }

  /** A region/role client set left the cache; reason is size or idle. */
  void clientSetEvicted(String reason) {
    Counter.builder("smsp_aws_client_sets_evicted")
        .description("AWS client sets (one per region and role) evicted from the operator's cache")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  void gaugeClientSets(Supplier<Number> size) {
    Gauge.builder("smsp_aws_client_sets", size)
        .description("AWS client sets (one per region and role) the operator holds")
        .register(registry);
  }

  /** Calls so far by operation name, sorted. */
  public Map<String, Long> countsByOperation() {
    Map<String, Long> counts = new TreeMap<>();
    totals.forEach((op, n) -> counts.put(op, n.sum()));
    return counts;
  }

  public long writes() {
    return countsByOperation().entrySet().stream()
        .filter(e -> !isRead(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  public long reads() {
    return countsByOperation().entrySet().stream()
        .filter(e -> isRead(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  public static boolean isRead(String operation) {
    return READ_PREFIXES.stream().anyMatch(operation::startsWith);
  }
}
