package dev.sagemaker.autoscaling.bench;

import dev.sagemaker.autoscaling.aws.AwsCallMetrics;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS calls counted by "Service Operation" (SDK service names, e.g. "CloudWatch PutMetricAlarm"),
 * as seen by the operator's own metrics or by the counting proxy. Immutable; phases subtract
 * snapshots.
 */
public record AwsCallCounts(Map<String, Long> byCall) {
  public static final AwsCallCounts NONE = new AwsCallCounts(Map.of());

  public AwsCallCounts {
    byCall = Collections.unmodifiableMap(new TreeMap<>(byCall));
  }

  public static String key(String service, String operation) {
    return service + " " + operation;
  }

  public static String operationOf(String key) {
    return key.substring(key.indexOf(' ') + 1);
  }

  public long total() {
    return byCall.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Describe, List and Get calls, by the operator's own definition of a read. */
  public long reads() {
    return byCall.entrySet().stream()
        .filter(e -> AwsCallMetrics.isRead(operationOf(e.getKey())))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Calls to one service (its SDK name, e.g. "SageMaker"). */
  public long ofService(String service) {
    return byCall.entrySet().stream()
        .filter(e -> e.getKey().startsWith(service + " "))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  public long writes() {
    return total() - reads();
  }

  public long get(String key) {
    return byCall.getOrDefault(key, 0L);
  }

  /**
   * What happened between an earlier snapshot and this one; operations that did not move are left
   * out.
   */
  public AwsCallCounts minus(AwsCallCounts earlier) {
    Map<String, Long> diff = new TreeMap<>();
    byCall.forEach(
        (k, v) -> {
          long d = v - earlier.get(k);
          if (d != 0) {
            diff.put(k, d);
          }
        });
    return new AwsCallCounts(diff);
  }
}
