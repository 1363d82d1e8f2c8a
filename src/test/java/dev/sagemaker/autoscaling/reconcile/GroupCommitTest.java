package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent DeleteAlarms requests share calls: a caller hands its names over and goes on, what
 * arrives while a call is in flight goes in the next one, and every caller of a failed call sees
 * the failure.
 */
class GroupCommitTest {
  private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
  private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    sender.shutdownNow();
  }

  /** Records each call; the first one blocks until {@code release} opens. */
  private Consumer<List<String>> firstCallHeldUntil(CountDownLatch release) {
    return names -> {
      boolean first;
      synchronized (calls) {
        first = calls.isEmpty();
        calls.add(names);
      }
      if (first) {
        await(release);
      }
    };
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private void waitUntilCalled(int times) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (calls.size() < times) {
      assertThat(System.nanoTime()).as("calls made").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aLoneRequestIsSentAtOnceInACallOfItsOwn() throws Exception {
    GroupCommit<String> batcher = new GroupCommit<>(100, 0, sender);

    batcher.submit(List.of("a", "b"), calls::add).get(30, TimeUnit.SECONDS);

    assertThat(calls).containsExactly(List.of("a", "b"));
  }

  @Test
  void theCallerGoesOnAtOnceAndItsFutureCompletesWhenItsCallSucceeded() throws Exception {
    GroupCommit<String> batcher = new GroupCommit<>(100, 0, sender);
    CountDownLatch release = new CountDownLatch(1);

    CompletableFuture<Void> deleted = batcher.submit(List.of("a"), firstCallHeldUntil(release));
    waitUntilCalled(1);

    assertThat(deleted).as("the call is still in flight").isNotDone();
    release.countDown();
    deleted.get(30, TimeUnit.SECONDS);
  }

  @Test
  void requestsArrivingWhileACallIsInFlightGoTogetherInTheNextCall() throws Exception {
    GroupCommit<String> batcher = new GroupCommit<>(100, 0, sender);
    CountDownLatch release = new CountDownLatch(1);
    Consumer<List<String>> send = firstCallHeldUntil(release);
    CompletableFuture<Void> first = batcher.submit(List.of("r1-lower", "r1-upper"), send);
    waitUntilCalled(1);

    CompletableFuture<Void> r2 = batcher.submit(List.of("r2-lower", "r2-upper"), send);
    CompletableFuture<Void> r3 = batcher.submit(List.of("r3-lower"), send);
    assertThat(batcher.waiting()).isEqualTo(2);
    release.countDown();
    CompletableFuture.allOf(first, r2, r3).get(30, TimeUnit.SECONDS);

    assertThat(calls).hasSize(2);
    assertThat(calls.get(0)).containsExactly("r1-lower", "r1-upper");
    List<String> second = calls.get(1);
    assertThat(second).containsExactlyInAnyOrder("r2-lower", "r2-upper", "r3-lower");
    assertThat(String.join(",", second))
        .as("a request's names stay together")
        .contains("r2-lower,r2-upper");
  }

  @Test
  void aFailedCallFailsEveryCallerInItAndNoOther() throws Exception {
    GroupCommit<String> batcher = new GroupCommit<>(100, 0, sender);
    CountDownLatch release = new CountDownLatch(1);
    RuntimeException throttled = new IllegalStateException("DeleteAlarms throttled");
    Consumer<List<String>> held = firstCallHeldUntil(release);
    Consumer<List<String>> send =
        names -> {
          held.accept(names);
          if (calls.size() == 2) {
            throw throttled;
          }
        };
    CompletableFuture<Void> first = batcher.submit(List.of("r1"), send);
    waitUntilCalled(1);
    CompletableFuture<Void> second = batcher.submit(List.of("r2"), send);
    CompletableFuture<Void> third = batcher.submit(List.of("r3"), send);
    release.countDown();

    first.get(30, TimeUnit.SECONDS);
    for (CompletableFuture<Void> failed : List.of(second, third)) {
      assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).hasCause(throttled);
    }
    batcher.submit(List.of("r2"), send).get(30, TimeUnit.SECONDS);
    assertThat(calls).hasSize(3).last().isEqualTo(List.of("r2"));
  }

  @Test
  void aCallTakesWholeRequestsUpToItsLimitAndLeavesTheRestForTheNext() throws Exception {
    GroupCommit<String> batcher = new GroupCommit<>(3, 0, sender);
    CountDownLatch release = new CountDownLatch(1);
    Consumer<List<String>> send = firstCallHeldUntil(release);
    CompletableFuture<Void> first = batcher.submit(List.of("a"), send);
    waitUntilCalled(1);
    CompletableFuture<Void> second = batcher.submit(List.of("b1", "b2"), send);
    CompletableFuture<Void> third = batcher.submit(List.of("c1", "c2"), send);
    release.countDown();
    CompletableFuture.allOf(first, second, third).get(30, TimeUnit.SECONDS);

    assertThat(calls)
        .containsExactly(List.of("a"), List.of("b1", "b2"), List.of("c1", "c2"))
        .allSatisfy(c -> assertThat(c).hasSizeLessThanOrEqualTo(3));
    assertThatThrownBy(() -> batcher.submit(List.of("1", "2", "3", "4"), calls::add))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCallSoonAfterTheLastWaitsOutTheSpacingAndTakesWhatArrivesMeanwhile() throws Exception {
    AtomicLong now = new AtomicLong();
    long spacing = TimeUnit.MILLISECONDS.toNanos(200);
    GroupCommit<String> batcher = new GroupCommit<>(100, spacing, sender, now::get);
    batcher.submit(List.of("r1"), calls::add).get(30, TimeUnit.SECONDS);

    CompletableFuture<Void> second = batcher.submit(List.of("r2"), calls::add);
    CompletableFuture<Void> third = batcher.submit(List.of("r3"), calls::add);
    // Longer than the spacing in real time: only the batcher's clock, which has not moved, counts.
    Thread.sleep(2 * TimeUnit.NANOSECONDS.toMillis(spacing));
    assertThat(calls).as("nothing leaves before the spacing is over").hasSize(1);
    now.addAndGet(spacing);
    CompletableFuture.allOf(second, third).get(30, TimeUnit.SECONDS);

    assertThat(calls).hasSize(2);
    assertThat(calls.get(1)).containsExactlyInAnyOrder("r2", "r3");
  }

  @Test
  void requestsThatCanNoLongerBeSentFailInsteadOfWaitingForever() {
    GroupCommit<String> batcher = new GroupCommit<>(100, 0, sender);
    sender.shutdown();

    CompletableFuture<Void> deleted = batcher.submit(List.of("r1"), calls::add);

    assertThat(deleted).isCompletedExceptionally();
    assertThatThrownBy(deleted::join).hasCauseInstanceOf(RejectedExecutionException.class);
    assertThat(calls).isEmpty();
  }
}
