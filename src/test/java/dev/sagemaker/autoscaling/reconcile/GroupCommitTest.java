package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent DeleteAlarms requests share calls: what arrives while a call is in flight goes in the
 * next one, and every caller of a failed call sees the failure.
 */
class GroupCommitTest {
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    callers.shutdownNow();
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

  private CompletableFuture<Void> submit(
      GroupCommit<String> batcher, List<String> names, Consumer<List<String>> send) {
    return CompletableFuture.runAsync(() -> batcher.submit(names, send), callers);
  }

  private static void waitUntilWaiting(GroupCommit<String> batcher, int requests)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (batcher.waiting() < requests) {
      assertThat(System.nanoTime()).as("requests waiting").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aLoneRequestIsSentAtOnceInACallOfItsOwn() {
    GroupCommit<String> batcher = new GroupCommit<>(100, 0);

    batcher.submit(List.of("a", "b"), calls::add);

    assertThat(calls).containsExactly(List.of("a", "b"));
  }

  @Test
  void requestsArrivingWhileACallIsInFlightGoTogetherInTheNextCall() throws Exception {
    GroupCommit<String> batcher = new GroupCommit<>(100, 0);
    CountDownLatch release = new CountDownLatch(1);
    Consumer<List<String>> send = firstCallHeldUntil(release);
    CompletableFuture<Void> first = submit(batcher, List.of("r1-lower", "r1-upper"), send);
    while (calls.isEmpty()) {
      Thread.sleep(5);
    }

    CompletableFuture<Void> r2 = submit(batcher, List.of("r2-lower", "r2-upper"), send);
    CompletableFuture<Void> r3 = submit(batcher, List.of("r3-lower"), send);
    waitUntilWaiting(batcher, 2);
    assertThat(first).as("the first caller waits for its call").isNotDone();
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
    GroupCommit<String> batcher = new GroupCommit<>(100, 0);
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
    CompletableFuture<Void> first = submit(batcher, List.of("r1"), send);
    while (calls.isEmpty()) {
      Thread.sleep(5);
    }
    CompletableFuture<Void> second = submit(batcher, List.of("r2"), send);
    CompletableFuture<Void> third = submit(batcher, List.of("r3"), send);
    waitUntilWaiting(batcher, 2);
    release.countDown();

    first.get(30, TimeUnit.SECONDS);
    for (CompletableFuture<Void> failed : List.of(second, third)) {
      assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).hasCause(throttled);
    }
    batcher.submit(List.of("r2"), send);
    assertThat(calls).hasSize(3).last().isEqualTo(List.of("r2"));
  }

  @Test
  void aCallTakesWholeRequestsUpToItsLimitAndLeavesTheRestForTheNext() throws Exception {
    GroupCommit<String> batcher = new GroupCommit<>(3, 0);
    CountDownLatch release = new CountDownLatch(1);
    Consumer<List<String>> send = firstCallHeldUntil(release);
    CompletableFuture<Void> first = submit(batcher, List.of("a"), send);
    while (calls.isEmpty()) {
      Thread.sleep(5);
    }
    CompletableFuture<Void> second = submit(batcher, List.of("b1", "b2"), send);
    waitUntilWaiting(batcher, 1);
    CompletableFuture<Void> third = submit(batcher, List.of("c1", "c2"), send);
    waitUntilWaiting(batcher, 2);
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
    GroupCommit<String> batcher = new GroupCommit<>(100, spacing, now::get);
    batcher.submit(List.of("r1"), calls::add);

    CompletableFuture<Void> second = submit(batcher, List.of("r2"), calls::add);
    CompletableFuture<Void> third = submit(batcher, List.of("r3"), calls::add);
    waitUntilWaiting(batcher, 2);
    assertThat(calls).as("nothing leaves before the spacing is over").hasSize(1);
    now.addAndGet(spacing);
    CompletableFuture.allOf(second, third).get(30, TimeUnit.SECONDS);

    assertThat(calls).hasSize(2);
    assertThat(calls.get(1)).containsExactlyInAnyOrder("r2", "r3");
  }

  @Test
  void aCallerInterruptedBeforeItsCallLeftWithdrawsItsNamesAndKeepsTheInterrupt() throws Exception {
    GroupCommit<String> batcher = new GroupCommit<>(100, 0);
    CountDownLatch release = new CountDownLatch(1);
    Consumer<List<String>> send = firstCallHeldUntil(release);
    CompletableFuture<Void> first = submit(batcher, List.of("r1"), send);
    while (calls.isEmpty()) {
      Thread.sleep(5);
    }
    List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
    List<Boolean> interruptKept = Collections.synchronizedList(new ArrayList<>());
    Thread second =
        new Thread(
            () -> {
              try {
                batcher.submit(List.of("r2"), send);
              } catch (RuntimeException e) {
                thrown.add(e);
                interruptKept.add(Thread.currentThread().isInterrupted());
              }
            });
    second.start();
    waitUntilWaiting(batcher, 1);
    second.interrupt();
    second.join(TimeUnit.SECONDS.toMillis(30));
    release.countDown();
    first.get(30, TimeUnit.SECONDS);

    assertThat(thrown).singleElement().isInstanceOf(IllegalStateException.class);
    assertThat(interruptKept).containsExactly(true);
    assertThat(batcher.waiting()).isZero();
    assertThat(calls).containsExactly(List.of("r1"));
  }
}
