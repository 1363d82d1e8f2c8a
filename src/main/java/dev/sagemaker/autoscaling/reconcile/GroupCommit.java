package dev.sagemaker.autoscaling.reconcile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Joins the requests of concurrent callers into one call of up to {@code maxItems} items. A caller
 * hands its items over and gets a future at once; the future completes when the call that carried
 * the items returned, and fails with that call's failure if it failed, so every caller of a failed
 * call sees it (and a teardown keeps its finalizer and retries).
 *
 * <p>Built for CloudWatch DeleteAlarms (100 names per call, paced at 3 calls per second): one call
 * per resource made deleting 100 resources take 33 s of pacing alone, and callers that waited for
 * their call held a reconciler thread each, so a call only ever carried as many resources as there
 * were threads. Calls are made on {@code sender}, one at a time per instance, and never sooner than
 * {@code spacing} after the previous one started: it would only wait that long in the pacing, and
 * while it waits here instead the requests that arrive still join it. A call after a quiet spell
 * leaves at once.
 *
 * <p>Callers of one instance must be interchangeable senders: the call uses the {@code send} of the
 * oldest request it carries (one instance per CloudWatch client, that is per region and identity).
 *
 * @param <T> one item (an alarm name)
 */
final class GroupCommit<T> {
  private final int maxItems;
  private final long spacingNanos;
  private final ScheduledExecutorService sender;
  private final LongSupplier nanoTime;
  private final Deque<Request<T>> pending = new ArrayDeque<>();

  /** A call is scheduled or in flight; the requests that arrive meanwhile wait for the next. */
  private boolean busy;

  private boolean sentBefore;
  private long lastSentAt;

  /**
   * @param maxItems the most items one call takes; a request may not hold more
   * @param spacingNanos the least time between the starts of two calls (0: none)
   * @param sender where the calls are made; shared by instances, since each has one call at a time
   */
  GroupCommit(int maxItems, long spacingNanos, ScheduledExecutorService sender) {
    this(maxItems, spacingNanos, sender, System::nanoTime);
  }

  GroupCommit(
      int maxItems, long spacingNanos, ScheduledExecutorService sender, LongSupplier nanoTime) {
    if (maxItems < 1) {
      throw new IllegalArgumentException("a call must take at least one item, not " + maxItems);
    }
    this.maxItems = maxItems;
    this.spacingNanos = Math.max(0, spacingNanos);
    this.sender = sender;
    this.nanoTime = nanoTime;
  }

  private record Request<T>(
      List<T> items, Consumer<List<T>> send, CompletableFuture<Void> outcome) {}

  /**
   * Hands {@code items} over to go in a call with whatever other callers submit meanwhile; returns
   * at once.
   *
   * @param send makes one call; used if this request is the oldest of its call
   * @return completes when the call that carried the items succeeded, or fails with its failure
   * @throws IllegalArgumentException when {@code items} hold more than one call takes
   */
  CompletableFuture<Void> submit(List<T> items, Consumer<List<T>> send) {
    if (items.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (items.size() > maxItems) {
      throw new IllegalArgumentException(
          items.size() + " items do not fit one call of at most " + maxItems);
    }
    Request<T> request = new Request<>(List.copyOf(items), send, new CompletableFuture<>());
    synchronized (this) {
      pending.addLast(request);
      if (!busy) {
        busy = true;
        scheduleNext();
      }
    }
    return request.outcome();
  }

  /** Requests waiting for a call to take them (for tests). */
  synchronized int waiting() {
    return pending.size();
  }

  /** Holding the lock: the next call, once the spacing since the last one is over. */
  private void scheduleNext() {
    try {
      sender.schedule(this::sendNext, untilSpaced(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The operator is stopping: nothing waiting will be sent, and each caller learns it.
      busy = false;
      while (!pending.isEmpty()) {
        pending.pollFirst().outcome().completeExceptionally(e);
      }
    }
  }

  private long untilSpaced() {
    return sentBefore ? Math.max(0, lastSentAt + spacingNanos - nanoTime.getAsLong()) : 0;
  }

  private void sendNext() {
    List<Request<T>> batch;
    synchronized (this) {
      if (untilSpaced() > 0) {
        scheduleNext(); // woken early (the clock is the caller's): wait out the rest
        return;
      }
      batch = take();
    }
    List<T> items = new ArrayList<>();
    batch.forEach(r -> items.addAll(r.items()));
    Throwable failure = null;
    try {
      batch.get(0).send().accept(List.copyOf(items));
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    synchronized (this) {
      if (pending.isEmpty()) {
        busy = false;
      } else {
        scheduleNext();
      }
    }
    for (Request<T> r : batch) {
      if (failure == null) {
        r.outcome().complete(null);
      } else {
        r.outcome().completeExceptionally(failure);
      }
    }
  }

  /** The oldest requests that fit one call together. */
  private List<Request<T>> take() {
    List<Request<T>> batch = new ArrayList<>();
    int items = 0;
    while (!pending.isEmpty() && items + pending.peekFirst().items().size() <= maxItems) {
      Request<T> next = pending.pollFirst();
      items += next.items().size();
      batch.add(next);
    }
    sentBefore = true;
    lastSentAt = nanoTime.getAsLong();
    return batch;
  }
}
