package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * For any requests made at once by several threads, and any calls failing: no call takes more than
 * its limit, every request's items go in exactly one call and together, and a caller's future
 * succeeds exactly when the call that carried its items succeeded (a failed call fails all its
 * callers, so no teardown releases its finalizer over alarms still there).
 */
class GroupCommitProperties {

  private record Sent(List<String> items, boolean failed) {}

  @Property(tries = 100)
  void everyRequestGoesInOneCallWhoseOutcomeItsCallerSees(
      @ForAll @IntRange(min = 1, max = 8) int maxItems,
      @ForAll @Size(min = 1, max = 24) List<@IntRange(min = 1, max = 8) Integer> sizes,
      @ForAll @Size(max = 24) List<Boolean> callFails,
      @ForAll @IntRange(min = 1, max = 8) int threads)
      throws Exception {
    ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    GroupCommit<String> batcher = new GroupCommit<>(maxItems, 0, sender);
    List<Sent> calls = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<List<String>> requests = new ArrayList<>();
    List<Future<Boolean>> succeeded = new ArrayList<>();
    try {
      for (int r = 0; r < sizes.size(); r++) {
        int size = Math.min(sizes.get(r), maxItems);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          items.add("r" + r + "-" + i);
        }
        requests.add(items);
        succeeded.add(
            pool.submit(
                () -> {
                  try {
                    batcher
                        .submit(
                            items,
                            names -> {
                              boolean fails;
                              synchronized (calls) {
                                int index = calls.size();
                                fails = index < callFails.size() && callFails.get(index);
                                calls.add(new Sent(names, fails));
                              }
                              // A call takes a moment, as AWS does: requests pile up behind it.
                              try {
                                Thread.sleep(1);
                              } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                              }
                              if (fails) {
                                throw new IllegalStateException("call failed");
                              }
                            })
                        .get(30, TimeUnit.SECONDS);
                    return true;
                  } catch (ExecutionException e) {
                    return false;
                  }
                }));
      }
      List<Boolean> outcomes = new ArrayList<>();
      for (Future<Boolean> outcome : succeeded) {
        outcomes.add(outcome.get(30, TimeUnit.SECONDS));
      }
      for (int r = 0; r < requests.size(); r++) {
        List<String> items = requests.get(r);
        boolean callerSucceeded = outcomes.get(r);
        List<Sent> carrying = calls.stream().filter(c -> c.items().contains(items.get(0))).toList();
        assertThat(carrying).as("calls carrying request %d", r).hasSize(1);
        Sent call = carrying.get(0);
        int at = call.items().indexOf(items.get(0));
        assertThat(call.items().subList(at, at + items.size())).isEqualTo(items);
        assertThat(callerSucceeded).isEqualTo(!call.failed());
      }
      assertThat(calls).allSatisfy(c -> assertThat(c.items()).hasSizeLessThanOrEqualTo(maxItems));
      assertThat(calls.stream().mapToInt(c -> c.items().size()).sum())
          .isEqualTo(requests.stream().mapToInt(List::size).sum());
    } finally {
      pool.shutdownNow();
      sender.shutdownNow();
    }
  }
}
