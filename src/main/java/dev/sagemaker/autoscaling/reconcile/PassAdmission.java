package dev.sagemaker.autoscaling.reconcile;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Shares the reconciler's threads between namespaces. JOSDK hands threads out first come, first
 * served, and a pass can sleep for seconds in the AWS pacing: without this, 40 resources created at
 * once in one namespace held all 10 threads and a single resource in another namespace waited 30 s
 * for one. Each pass asks at its start and is either admitted, or deferred to come back after
 * {@link #deferral()} (a deferred pass returns at once, so its thread goes straight to the next
 * resource in JOSDK's queue).
 *
 * <p>What it guarantees, with T threads:
 *
 * <ol>
 *   <li>never more than T passes are admitted at once;
 *   <li>a namespace with no pass in flight is admitted whenever fewer than T passes run: a newcomer
 *       never waits for the busy ones, only for a thread, and deferred passes free theirs at once;
 *   <li>a namespace with passes in flight is admitted only if at least one thread stays free
 *       afterwards (for a namespace with nothing in flight) and it holds no more than its share,
 *       ceil((T − 1) / namespaces with passes in flight), itself included;
 *   <li>so a namespace alone uses T − 1 threads, and as others arrive its new passes wait until it
 *       is back within its share (passes already running are never interrupted).
 * </ol>
 *
 * {@code FairQueue} shares the AWS call rate the same way; this shares the threads that wait for
 * it.
 */
public final class PassAdmission {
  /** A deferred pass comes back after this, plus up to as much again of jitter. */
  static final Duration DEFERRAL = Duration.ofSeconds(1);

  private final int threads;
  private final ReconcileMetrics metrics;
  private final Map<String, Integer> inFlight = new HashMap<>();
  private int total;

  PassAdmission(int threads, ReconcileMetrics metrics) {
    if (threads < 1) {
      throw new IllegalArgumentException("reconciler threads must be at least 1, not " + threads);
    }
    this.threads = threads;
    this.metrics = metrics;
  }

  /**
   * Whether a pass for {@code namespace} may start now; if so, the caller must {@link #leave} it
   * when the pass ends.
   */
  public boolean tryEnter(String namespace) {
    boolean admitted;
    synchronized (this) {
      admitted = admits(namespace);
      if (admitted) {
        inFlight.merge(namespace, 1, Integer::sum);
        total++;
      }
    }
    if (admitted) {
      metrics.gaugePassesInFlight(namespace, () -> inFlight(namespace));
    } else {
      metrics.recordPassDeferred(namespace);
    }
    return admitted;
  }

  private boolean admits(String namespace) {
    if (total >= threads) {
      return false;
    }
    int own = inFlight.getOrDefault(namespace, 0);
    if (own == 0) {
      return true;
    }
    return total + 1 <= threads - 1 && own + 1 <= share(inFlight.size());
  }

  /** A namespace's share of the threads while {@code active} namespaces have passes in flight. */
  private int share(int active) {
    return Math.max(1, (threads - 1 + active - 1) / active);
  }

  /** The pass admitted for {@code namespace} has ended. */
  public synchronized void leave(String namespace) {
    Integer own = inFlight.get(namespace);
    if (own == null) {
      throw new IllegalStateException("no pass in flight for namespace " + namespace);
    }
    if (own == 1) {
      inFlight.remove(namespace); // namespaces come and go: keep only those with passes in flight
    } else {
      inFlight.put(namespace, own - 1);
    }
    total--;
  }

  /** Passes in flight for {@code namespace}. */
  public synchronized int inFlight(String namespace) {
    return inFlight.getOrDefault(namespace, 0);
  }

  /** Passes in flight in all namespaces. */
  public synchronized int inFlight() {
    return total;
  }

  /**
   * When a deferred pass comes back: soon, since a thread frees as soon as any pass ends, and
   * jittered so that the deferred resources of a burst do not all come back in the same instant.
   */
  public Duration deferral() {
    return DEFERRAL.plusMillis(ThreadLocalRandom.current().nextLong(DEFERRAL.toMillis() + 1));
  }
}
