package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.aws.RateLimits;
import dev.sagemaker.autoscaling.aws.ScalingApi;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One {@link GroupCommit} of DeleteAlarms per {@link ScalingApi}, that is per region and identity:
 * the alarms of resources that call AWS as different identities (another region, another role or
 * another session of a role, whose tags IAM may judge) never go in one call, since one identity's
 * call could delete what only the other may. The calls are made on two threads of their own, so a
 * teardown hands its names over and its reconciler thread goes on with other resources.
 */
final class AlarmDeletions {
  /** What one DeleteAlarms call takes (AWS's limit, the botocore model's AlarmNames max). */
  static final int NAMES_PER_CALL = 100;

  /**
   * As far apart as {@link RateLimits} spaces DeleteAlarms at its default rate (90% of the
   * published 3 per second): a call that would leave sooner only waits there.
   */
  static final long DEFAULT_SPACING_NANOS =
      (long) (TimeUnit.SECONDS.toNanos(1) / (0.9 * RateLimits.DEFAULTS.get("DeleteAlarms")));

  private final long spacingNanos;

  /**
   * Two threads, so a slow call of one identity does not hold another's back for long (each batcher
   * makes one call at a time); they end after a quiet minute, so nothing needs closing.
   */
  private final ScheduledExecutorService sender = newSender();

  /** Weak keys: a client set evicted from the factory's cache takes its batcher with it. */
  private final Map<ScalingApi, GroupCommit<String>> byApi =
      Collections.synchronizedMap(new WeakHashMap<>());

  AlarmDeletions(long spacingNanos) {
    this.spacingNanos = spacingNanos;
  }

  /** A converger whose DeleteAlarms go through the batcher of {@code api}. */
  Converger converger(ScalingApi api) {
    return new Converger(api, deleter(api));
  }

  /**
   * Deletes the named alarms (at most {@link #NAMES_PER_CALL}) in a call shared with others; the
   * future completes when that call succeeded.
   */
  Function<List<String>, CompletableFuture<Void>> deleter(ScalingApi api) {
    GroupCommit<String> batcher =
        byApi.computeIfAbsent(api, k -> new GroupCommit<>(NAMES_PER_CALL, spacingNanos, sender));
    // The batcher keeps the api only while a request waits: each caller lends its own (the same).
    return names -> batcher.submit(names, api::deleteAlarms);
  }

  private static ScheduledExecutorService newSender() {
    ScheduledThreadPoolExecutor sender =
        new ScheduledThreadPoolExecutor(
            2,
            work -> {
              Thread thread = new Thread(work, "alarm-deletions");
              thread.setDaemon(true);
              return thread;
            });
    sender.setKeepAliveTime(1, TimeUnit.MINUTES);
    sender.allowCoreThreadTimeOut(true);
    return sender;
  }
}
