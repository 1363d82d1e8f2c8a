package dev.sagemaker.autoscaling.aws;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The order in which calls waiting for one paced operation get their slots: round-robin over the
 * namespaces that have calls waiting, first come first served within a namespace. A namespace that
 * starts waiting joins the end of the round, so its first call waits for at most one call of each
 * other waiting namespace, however many calls they queued. Slots are evenly spaced; time is passed
 * in (nanoseconds), so the order is a pure function of arrivals and time.
 */
final class FairQueue {
  private final long spacingNanos;
  private boolean started;
  private long nextSlot;
  private final Map<String, ArrayDeque<Ticket>> roundRobin = new LinkedHashMap<>();
  private int waiting;

  /** One call waiting for its slot. */
  static final class Ticket {
    final String namespace;
    final long arrived;
    private long granted = Long.MIN_VALUE;

    private Ticket(String namespace, long arrived) {
      this.namespace = namespace;
      this.arrived = arrived;
    }

    boolean isGranted() {
      return granted != Long.MIN_VALUE;
    }

    /** Nanoseconds from arrival to grant. */
    long waited() {
      return granted - arrived;
    }
  }

  FairQueue(long spacingNanos) {
    this.spacingNanos = spacingNanos;
  }

  Ticket enqueue(String namespace, long now) {
    Ticket ticket = new Ticket(namespace, now);
    roundRobin.computeIfAbsent(namespace, k -> new ArrayDeque<>()).addLast(ticket);
    waiting++;
    return ticket;
  }

  /**
   * Grants the next slot if it is due at {@code now}: to the head of the namespace whose turn it
   * is, which then goes to the end of the round if it has more calls waiting.
   */
  Optional<Ticket> grantDue(long now) {
    if (waiting == 0 || started && now - nextSlot < 0) {
      return Optional.empty();
    }
    Iterator<Map.Entry<String, ArrayDeque<Ticket>>> turn = roundRobin.entrySet().iterator();
    Map.Entry<String, ArrayDeque<Ticket>> first = turn.next();
    Ticket ticket = first.getValue().removeFirst();
    turn.remove();
    if (!first.getValue().isEmpty()) {
      roundRobin.put(first.getKey(), first.getValue());
    }
    waiting--;
    ticket.granted = now;
    // A grant a little late (a thread wakes after its slot) keeps the schedule; one after an idle
    // spell starts a new one rather than bursting through the slots nobody used.
    long slot = started && now - nextSlot < spacingNanos ? nextSlot : now;
    nextSlot = slot + spacingNanos;
    started = true;
    return Optional.of(ticket);
  }

  /** A call that stopped waiting (its thread was interrupted) gives up its place. */
  void withdraw(Ticket ticket) {
    ArrayDeque<Ticket> queue = roundRobin.get(ticket.namespace);
    if (queue != null && queue.remove(ticket)) {
      waiting--;
      if (queue.isEmpty()) {
        roundRobin.remove(ticket.namespace);
      }
    }
  }

  /** When the next slot is due; meaningful while calls wait. */
  long nextSlot() {
    return nextSlot;
  }

  /** Calls waiting, by namespace. */
  Map<String, Integer> depths() {
    Map<String, Integer> depths = new LinkedHashMap<>();
    roundRobin.forEach((namespace, queue) -> depths.put(namespace, queue.size()));
    return depths;
  }
}
