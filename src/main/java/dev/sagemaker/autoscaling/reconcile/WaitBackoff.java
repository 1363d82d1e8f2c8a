package dev.sagemaker.autoscaling.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongUnaryOperator;

/**
 * How long a resource waiting for its endpoint or variant waits before looking again: the first
 * interval, doubled per look in a row up to a cap, jittered within the upper quarter. A typo in an
 * endpoint name is not fixed by looking every 30 s, and a thousand of them must not spend the
 * account's SageMaker quota; the jitter keeps resources created together from looking together. The
 * count starts over when the resource stops waiting or its spec changes (a new generation may name
 * the endpoint that exists).
 */
final class WaitBackoff {
  private final Duration first;
  private final Duration max;
  private final LongUnaryOperator jitter;
  private final Map<String, Waiting> byResource = new ConcurrentHashMap<>();

  private record Waiting(long generation, int looks) {}

  /**
   * @param jitter picks a number of milliseconds from 0 to its argument, both included
   */
  WaitBackoff(Duration first, Duration max, LongUnaryOperator jitter) {
    this.first = first;
    this.max = max;
    this.jitter = jitter;
  }

  /** The resource (at this spec generation) is still waiting: the delay before its next look. */
  Duration next(String uid, long generation) {
    Waiting waiting =
        byResource.merge(
            uid,
            new Waiting(generation, 1),
            (old, fresh) ->
                old.generation() == generation ? new Waiting(generation, old.looks() + 1) : fresh);
    long ceiling = Math.min(max.toMillis(), first.toMillis() << Math.min(waiting.looks() - 1, 20));
    long quarter = ceiling / 4;
    return Duration.ofMillis(ceiling - quarter + jitter.applyAsLong(quarter));
  }

  /** The resource no longer waits (or is gone): a later wait starts from the first interval. */
  void reset(String uid) {
    byResource.remove(uid);
  }
}
