package dev.sagemaker.autoscaling.aws;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Client-side pacing of AWS operations, so converging many resources proceeds at the account's
 * quota instead of provoking throttling storms that also hit every other tool in the account. One
 * instance is shared by all clients of one region and identity, because the quotas are per account
 * and region. Waiting calls are served round-robin between the namespaces they are made for ({@link
 * CallerNamespace}), so one namespace's burst delays another's first call by about one slot per
 * waiting namespace, not by the whole burst.
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

  /** How long the call waited for its slot, for {@link AwsCallMetrics}; absent if not paced. */
  static final ExecutionAttribute<Duration> PACING_WAIT =
      new ExecutionAttribute<>("SmspPacingWait");

  /** The namespace the call was paced for ("" for the operator's own), for metrics. */
  static final ExecutionAttribute<String> PACED_FOR = new ExecutionAttribute<>("SmspPacedFor");

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    Double rate = perSecond.get(operation);
    if (rate != null) {
      String namespace = CallerNamespace.current();
      Duration waited = buckets.computeIfAbsent(operation, k -> new Bucket(rate)).take(namespace);
      attributes.putAttribute(PACING_WAIT, waited);
      attributes.putAttribute(PACED_FOR, namespace);
    }
  }

  /**
   * Evenly spaced calls at 90% of the rate, handed out fairly between namespaces ({@link
   * FairQueue}). A burst would stay within a token-bucket quota but can exceed one measured over
   * any one-second window, so no burst is allowed; the 10% margin absorbs the jitter between
   * granting a call here and its arrival at AWS.
   */
  static final class Bucket {
    private final FairQueue queue;

    Bucket(double perSecond) {
      this.queue = new FairQueue((long) (TimeUnit.SECONDS.toNanos(1) / (0.9 * perSecond)));
    }

    /** Blocks until the call's slot; returns how long it waited. */
    Duration take(String namespace) {
      FairQueue.Ticket ticket;
      synchronized (queue) {
        ticket = queue.enqueue(namespace, System.nanoTime());
        while (!ticket.isGranted()) {
          long now = System.nanoTime();
          // Whichever waiting thread is awake hands out the slot that is next, to whomever's turn
          // it is, and wakes the others to see whether it was theirs.
          if (queue.grantDue(now).isPresent()) {
            queue.notifyAll();
            continue;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(queue, Math.max(1, queue.nextGrantAt(now) - now));
          } catch (InterruptedException e) {
            queue.withdraw(ticket);
            Thread.currentThread().interrupt();
            return Duration.ofNanos(System.nanoTime() - ticket.arrived);
          }
        }
      }
      // The call leaves at its own slot, whenever this thread was told which one it has.
      long early = ticket.slot() - System.nanoTime();
      if (early > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(early);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Duration.ofNanos(ticket.waited());
    }
  }
}
