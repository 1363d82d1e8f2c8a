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
    private long slot = Long.MIN_VALUE;

    private Ticket(String namespace, long arrived) {
      this.namespace = namespace;
      this.arrived = arrived;
    }

    boolean isGranted() {
      return slot != Long.MIN_VALUE;
    }

    /** When the call may go. */
    long slot() {
      return slot;
    }

    /** Nanoseconds from arrival to its slot. */
    long waited() {
      return slot - arrived;
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
   * Hands out the next slot if it is at most one slot away at {@code now}: to the head of the
   * namespace whose turn it is, which then goes to the end of the round if it has more calls
   * waiting. The ticket's {@link Ticket#slot()} says when its call may go; choosing one slot ahead
   * lets the caller sleep until that moment itself, so calls leave as evenly spaced as their slots,
   * and costs a namespace that starts waiting at most one more slot.
   */
  Optional<Ticket> grantDue(long now) {
    if (waiting == 0 || now - nextGrantAt(now) < 0) {
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
    // After an idle spell the schedule starts again now, rather than bursting through the slots
    // nobody used.
    long slot = started && nextSlot - now > 0 ? nextSlot : now;
    ticket.slot = slot;
    nextSlot = slot + spacingNanos;
    started = true;
    return Optional.of(ticket);
  }

  /** When {@link #grantDue} hands out the next slot (now, if it would at once). */
  long nextGrantAt(long now) {
    return started ? nextSlot - spacingNanos : now;
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

  /** Calls waiting, by namespace. */
  Map<String, Integer> depths() {
    Map<String, Integer> depths = new LinkedHashMap<>();
    roundRobin.forEach((namespace, queue) -> depths.put(namespace, queue.size()));
    return depths;
  }
}
