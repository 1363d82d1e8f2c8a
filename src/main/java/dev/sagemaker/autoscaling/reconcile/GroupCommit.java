package dev.sagemaker.autoscaling.reconcile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Joins the requests of concurrent callers into one call of up to {@code maxItems} items. While a
 * call is in flight, the requests that arrive wait and go together in the next one; each caller
 * returns once the call that carried its items returned, and throws that call's failure if it
 * failed, so every caller of a failed call sees it (and a teardown keeps its finalizer and
 * retries).
 *
 * <p>Built for CloudWatch DeleteAlarms (100 names per call, paced at 3 calls per second): one call
 * per resource made deleting 100 resources take 33 s of pacing alone. A call never leaves sooner
 * than {@code spacing} after the previous one: it would only wait that long in the pacing, and
 * while it waits here instead the requests that arrive still join it. A call after a quiet spell
 * leaves at once.
 *
 * <p>No thread of its own: whichever caller finds no call in flight sends the next one, with the
 * {@code send} it was given. Callers of one instance must therefore be interchangeable senders (one
 * instance per CloudWatch client, that is per region and identity).
 *
 * @param <T> one item (an alarm name)
 */
final class GroupCommit<T> {
  private final int maxItems;
  private final long spacingNanos;
  private final LongSupplier nanoTime;
  private final Deque<Request<T>> pending = new ArrayDeque<>();
  private boolean inFlight;
  private boolean sentBefore;
  private long lastSentAt;

  /**
   * @param maxItems the most items one call takes; a request may not hold more
   * @param spacingNanos the least time between the starts of two calls (0: none)
   */
  GroupCommit(int maxItems, long spacingNanos) {
    this(maxItems, spacingNanos, System::nanoTime);
  }

  GroupCommit(int maxItems, long spacingNanos, LongSupplier nanoTime) {
    if (maxItems < 1) {
      throw new IllegalArgumentException("a call must take at least one item, not " + maxItems);
    }
    this.maxItems = maxItems;
    this.spacingNanos = Math.max(0, spacingNanos);
    this.nanoTime = nanoTime;
  }

  private static final class Request<T> {
    final List<T> items;
    boolean taken;
    boolean done;
    Throwable failure;

    Request(List<T> items) {
      this.items = items;
    }
  }

  /**
   * Sends {@code items} in a call with whatever other callers submit meanwhile; returns when that
   * call returned, or throws its failure.
   *
   * @param send makes one call; used only if this caller is the one that sends the next call
   * @throws IllegalArgumentException when {@code items} hold more than one call takes
   */
  void submit(List<T> items, Consumer<List<T>> send) {
    if (items.isEmpty()) {
      return;
    }
    if (items.size() > maxItems) {
      throw new IllegalArgumentException(
          items.size() + " items do not fit one call of at most " + maxItems);
    }
    Request<T> mine = new Request<>(List.copyOf(items));
    boolean interrupted = false;
    try {
      synchronized (this) {
        pending.addLast(mine);
      }
      while (true) {
        List<Request<T>> batch = null;
        synchronized (this) {
          while (batch == null && !mine.done) {
            if (!inFlight && !pending.isEmpty()) {
              long early = sentBefore ? lastSentAt + spacingNanos - nanoTime.getAsLong() : 0;
              if (early <= 0) {
                batch = take();
              } else {
                // Wait out the spacing here rather than in the pacing: requests arriving meanwhile
                // still join this call.
                interrupted |= await(early, mine);
              }
            } else {
              interrupted |= await(0, mine);
            }
          }
        }
        if (batch == null) {
          rethrow(mine);
          return;
        }
        // The oldest requests go first: this caller's own may be in a later call.
        sendBatch(batch, send);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits to be woken, or {@code nanos} (0: until woken). A caller interrupted while its request
   * has not left yet withdraws it; one interrupted while its call is in flight waits for the call
   * (its items may be gone already) and keeps the interrupt for later.
   *
   * @return whether the caller was interrupted
   */
  private boolean await(long nanos, Request<T> mine) {
    try {
      if (nanos > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, nanos);
      } else {
        wait();
      }
      return false;
    } catch (InterruptedException e) {
      if (!mine.taken && pending.remove(mine)) {
        mine.done = true;
        mine.failure = e;
      }
      return true;
    }
  }

  /** Requests waiting for a call to take them (for tests). */
  synchronized int waiting() {
    return pending.size();
  }

  /** The oldest requests that fit one call together; marks the call in flight. */
  private List<Request<T>> take() {
    List<Request<T>> batch = new ArrayList<>();
    int items = 0;
    while (!pending.isEmpty() && items + pending.peekFirst().items.size() <= maxItems) {
      Request<T> next = pending.pollFirst();
      next.taken = true;
      items += next.items.size();
      batch.add(next);
    }
    inFlight = true;
    sentBefore = true;
    lastSentAt = nanoTime.getAsLong();
    return batch;
  }

  private void sendBatch(List<Request<T>> batch, Consumer<List<T>> send) {
    List<T> items = new ArrayList<>();
    batch.forEach(r -> items.addAll(r.items));
    Throwable failure = null;
    try {
      send.accept(List.copyOf(items));
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      synchronized (this) {
        for (Request<T> r : batch) {
          r.done = true;
          r.failure = failure;
        }
        inFlight = false;
        notifyAll();
      }
    }
  }

  /**
   * Returns normally if the request's call succeeded; otherwise throws the call's failure (the same
   * instance in every caller of that call).
   */
  private static <T> void rethrow(Request<T> request) {
    Throwable failure = request.failure;
    if (failure == null) {
      return;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("interrupted before the call was sent", failure);
  }
}
