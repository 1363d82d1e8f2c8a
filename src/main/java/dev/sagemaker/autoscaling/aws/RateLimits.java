package dev.sagemaker.autoscaling.aws;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Client-side pacing of AWS operations, so converging many resources proceeds at the account's
 * quota instead of provoking throttling storms that also hit every other tool in the account. One
 * instance is shared by all clients of one region and identity, because the quotas are per account
 * and region.
 */
public final class RateLimits implements ExecutionInterceptor {
  /**
   * CloudWatch's published request quotas (per account and region). Application Auto Scaling and
   * SageMaker publish none for these operations; the SDK's retries handle their throttling.
   */
  public static final Map<String, Double> DEFAULTS =
      Map.of("PutMetricAlarm", 3.0, "DeleteAlarms", 3.0, "DescribeAlarms", 9.0);

  private final Map<String, Double> perSecond;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimits(Map<String, Double> perSecond) {
    this.perSecond = Map.copyOf(perSecond);
  }

  /**
   * Parses "PutMetricAlarm=3,DeleteAlarms=3"; an empty string gives the defaults; "Op=0" lifts a
   * limit.
   */
  public static Map<String, Double> parse(String spec) {
    Map<String, Double> limits = new HashMap<>(DEFAULTS);
    if (spec == null || spec.isBlank()) {
      return limits;
    }
    for (String entry : spec.split(",")) {
      String[] parts = entry.trim().split("=");
      if (parts.length != 2 || parts[0].isBlank()) {
        throw new IllegalArgumentException(
            "AWS rate limit must look like Operation=perSecond, got: " + entry);
      }
      double rate = Double.parseDouble(parts[1].trim());
      if (rate < 0) {
        throw new IllegalArgumentException("AWS rate limit must not be negative: " + entry);
      }
      if (rate == 0) {
        limits.remove(parts[0].trim());
      } else {
        limits.put(parts[0].trim(), rate);
      }
    }
    return limits;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    Double rate = perSecond.get(operation);
    if (rate != null) {
      buckets.computeIfAbsent(operation, k -> new Bucket(rate)).take();
    }
  }

  /**
   * Evenly spaced calls at 90% of the rate. A burst would stay within a token-bucket quota but can
   * exceed one measured over any one-second window, so no burst is allowed; the 10% margin absorbs
   * the jitter between granting a call here and its arrival at AWS.
   */
  static final class Bucket {
    private final long spacingNanos;
    private long nextSlot = System.nanoTime();

    Bucket(double perSecond) {
      this.spacingNanos = (long) (TimeUnit.SECONDS.toNanos(1) / (0.9 * perSecond));
    }

    void take() {
      long waitNanos;
      synchronized (this) {
        long now = System.nanoTime();
        long slot = Math.max(now, nextSlot);
        nextSlot = slot + spacingNanos;
        waitNanos = slot - now;
      }
      if (waitNanos > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(waitNanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
