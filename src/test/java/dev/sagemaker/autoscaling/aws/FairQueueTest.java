package dev.sagemaker.autoscaling.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Calls waiting for one paced operation are served round-robin between namespaces. */
class FairQueueTest {
  private static final long SLOT = 1_000;

  /** Grants every waiting ticket one slot apart; returns the namespaces in grant order. */
  private static List<String> drain(FairQueue queue, long from) {
    List<String> order = new ArrayList<>();
    for (long now = from; !queue.depths().isEmpty(); now += SLOT) {
      queue.grantDue(now).ifPresent(t -> order.add(t.namespace));
    }
    return order;
  }

  @Test
  void aNamespaceArrivingBehindAnothersBurstIsServedAtItsNextTurn() {
    FairQueue queue = new FairQueue(SLOT);
    List<FairQueue.Ticket> burst = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      burst.add(queue.enqueue("noisy", 0));
    }
    FairQueue.Ticket first = queue.enqueue("quiet", 0);

    List<String> order = drain(queue, 0);

    assertThat(order.subList(0, 3)).containsExactly("noisy", "quiet", "noisy");
    assertThat(first.waited()).as("one slot, not 25").isEqualTo(SLOT);
    assertThat(burst.get(24).waited()).isEqualTo(25 * SLOT);
  }

  @Test
  void slotsStayEvenlySpacedAreChosenAtMostOneAheadAndAnIdleSpellGivesNoBurst() {
    FairQueue queue = new FairQueue(SLOT);
    queue.enqueue("a", 0);
    queue.enqueue("b", 0);
    queue.enqueue("a", 0);
    assertThat(queue.grantDue(0)).hasValueSatisfying(t -> assertThat(t.slot()).isZero());
    assertThat(queue.grantDue(0))
        .as("the next slot is chosen one ahead, and is a whole slot later")
        .hasValueSatisfying(t -> assertThat(t.slot()).isEqualTo(SLOT));
    assertThat(queue.grantDue(SLOT - 1)).as("not two ahead").isEmpty();
    assertThat(queue.grantDue(SLOT + 10))
        .hasValueSatisfying(t -> assertThat(t.slot()).isEqualTo(2 * SLOT));

    queue.enqueue("a", 100 * SLOT);
    queue.enqueue("a", 100 * SLOT);
    assertThat(queue.grantDue(100 * SLOT))
        .hasValueSatisfying(t -> assertThat(t.slot()).isEqualTo(100 * SLOT));
    assertThat(queue.grantDue(100 * SLOT))
        .as("unused slots are not saved up")
        .hasValueSatisfying(t -> assertThat(t.slot()).isEqualTo(101 * SLOT));
  }

  @Test
  void aWithdrawnCallGivesUpItsPlace() {
    FairQueue queue = new FairQueue(SLOT);
    FairQueue.Ticket gone = queue.enqueue("a", 0);
    queue.enqueue("b", 0);
    queue.withdraw(gone);
    assertThat(drain(queue, 0)).containsExactly("b");
    assertThat(gone.isGranted()).isFalse();
  }

  @Test
  void theBlockingBucketServesAQuietNamespaceBeforeANoisyOnesQueuedCalls() throws Exception {
    RateLimits.Bucket bucket = new RateLimits.Bucket(20); // a slot every 56 ms
    // When each call's slot was (arrival plus its wait): the order the bucket chose, whatever order
    // the threads then happen to run in on a busy machine.
    Map<String, Long> slots = new ConcurrentHashMap<>();
    CountDownLatch noisyStarted = new CountDownLatch(12);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String name = "noisy-" + i;
      Thread noisy =
          new Thread(
              () -> {
                noisyStarted.countDown();
                long arrived = System.nanoTime();
                slots.put(name, arrived + bucket.take("noisy").toNanos());
              });
      noisy.start();
      threads.add(noisy);
    }
    noisyStarted.await();
    Thread.sleep(100); // every noisy call is queued (they start at once; this gives them time)
    Thread quiet =
        new Thread(
            () -> {
              long arrived = System.nanoTime();
              slots.put("quiet", arrived + bucket.take("quiet").toNanos());
            });
    quiet.start();
    threads.add(quiet);
    for (Thread t : threads) {
      t.join();
    }

    List<String> order =
        slots.entrySet().stream()
            .sorted(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .toList();
    assertThat(order).hasSize(13);
    // By the time it arrives a few noisy calls have gone; then at most two slots (the one already
    // chosen, one noisy call) before its own, instead of the rest of the noisy queue.
    assertThat(order.indexOf("quiet"))
        .as("served at its first turn, not behind the noisy namespace's queue: %s", order)
        .isLessThanOrEqualTo(6);
  }
}
