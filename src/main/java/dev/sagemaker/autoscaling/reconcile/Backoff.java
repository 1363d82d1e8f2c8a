package dev.sagemaker.autoscaling.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * How long a resource waits after a recoverable failure: exponential per resource (base doubled per
 * failure in a row, capped), and jittered within the upper half of that ceiling, so that many
 * resources throttled at once spread their retries without ever retrying at once.
 */
final class Backoff {
  private final Duration base;
  private final Duration max;
  private final LongUnaryOperator jitter;
  private final Map<String, Integer> failuresInARow = new ConcurrentHashMap<>();

  Backoff(Duration base, Duration max) {
    this(base, max, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
  }

  /**
   * @param jitter picks a number of milliseconds from 0 to its argument, both included
   */
  Backoff(Duration base, Duration max, LongUnaryOperator jitter) {
    this.base = base;
    this.max = max;
    this.jitter = jitter;
  }

  /** The jitter, so a {@link WaitBackoff} beside this one draws the same way (fixed in tests). */
  LongUnaryOperator jitter() {
    return jitter;
  }

  /** Counts one more failure of the resource and returns the delay before its next attempt. */
  Duration next(String uid) {
    int failures = failuresInARow.merge(uid, 1, Integer::sum);
    long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(failures - 1, 20));
    return Duration.ofMillis(ceiling / 2 + jitter.applyAsLong(ceiling / 2));
  }

  /**
   * The resource got past its failure (or is gone): the next failure starts from the base again.
   */
  void reset(String uid) {
    failuresInARow.remove(uid);
  }
}
