package dev.sagemaker.autoscaling.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the arrivals, a namespace's call waits at most one slot per waiting namespace for each
 * call it has waiting ahead of it (itself included), plus one: its fair share, never another's
 * whole queue.
 */
class FairQueueProperties {
  private static final long SLOT = 1_000;

  /** An arrival: at slot {@code at}, namespace number {@code namespace} makes a call. */
  record Arrival(int at, int namespace) {}

  @Property(tries = 300)
  void everyCallIsServedWithinItsFairShare(
      @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 0, max = 60) Integer> arrivalSlots,
      @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 0, max = 6) Integer> namespaces) {
    int n = Math.min(arrivalSlots.size(), namespaces.size());
    List<Arrival> arrivals = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      arrivals.add(new Arrival(arrivalSlots.get(i), namespaces.get(i)));
    }
    arrivals.sort((a, b) -> Integer.compare(a.at(), b.at()));
    Set<Integer> distinct = new HashSet<>();
    arrivals.forEach(a -> distinct.add(a.namespace()));

    FairQueue queue = new FairQueue(SLOT);
    Map<FairQueue.Ticket, Integer> aheadInOwnLane = new HashMap<>();
    List<FairQueue.Ticket> tickets = new ArrayList<>();
    int next = 0;
    for (long slot = 0; next < arrivals.size() || !queue.depths().isEmpty(); slot++) {
      while (next < arrivals.size() && arrivals.get(next).at() <= slot) {
        String namespace = "ns" + arrivals.get(next).namespace();
        int ahead = queue.depths().getOrDefault(namespace, 0);
        FairQueue.Ticket ticket = queue.enqueue(namespace, slot * SLOT);
        aheadInOwnLane.put(ticket, ahead);
        tickets.add(ticket);
        next++;
      }
      queue.grantDue(slot * SLOT);
    }

    for (FairQueue.Ticket ticket : tickets) {
      assertThat(ticket.isGranted()).isTrue();
      // Choosing a slot one ahead can cost a namespace that just started waiting one more slot.
      long fairShare = (aheadInOwnLane.get(ticket) + 1L) * distinct.size() * SLOT + SLOT;
      assertThat(ticket.waited()).isLessThanOrEqualTo(fairShare);
    }
  }
}
