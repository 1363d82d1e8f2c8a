package dev.sagemaker.autoscaling.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The client sets by region and role, bounded so that tenants naming many regions or roles cannot
 * grow the operator without limit: at most {@code maxSets} are kept, the least recently used goes
 * first, and a set unused for {@code idleExpiry} goes too. An evicted set is reported to {@code
 * onEvict} at once but closed only {@code closeGrace} later, so a reconcile pass that took it just
 * before finishes its calls on open clients.
 *
 * @param <V> one set of clients
 */
final class ClientSetCache<V> {
  /** Why a set was evicted, as the metric's tag. */
  enum Reason {
    SIZE("size"),
    IDLE("idle");

    final String tag;

    Reason(String tag) {
      this.tag = tag;
    }
  }

  private record Entry<V>(V value, Instant lastUsed) {}

  private record Retired<V>(V value, Instant evictedAt) {}

  private final int maxSets;
  private final Duration idleExpiry;
  private final Duration closeGrace;
  private final Clock clock;
  private final BiConsumer<V, Reason> onEvict;
  private final Consumer<V> close;

  /** Evicted sets waiting out the grace, oldest first, with the time they were evicted. */
  private final ArrayDeque<Retired<V>> retired = new ArrayDeque<>();

  /** Access order: the first entry is the least recently used. */
  private final LinkedHashMap<String, Entry<V>> sets = new LinkedHashMap<>(16, 0.75f, true);

  ClientSetCache(
      int maxSets,
      Duration idleExpiry,
      Duration closeGrace,
      Clock clock,
      BiConsumer<V, Reason> onEvict,
      Consumer<V> close) {
    if (maxSets < 1) {
      throw new IllegalArgumentException("maxSets must be at least 1");
    }
    this.maxSets = maxSets;
    this.idleExpiry = idleExpiry;
    this.closeGrace = closeGrace;
    this.clock = clock;
    this.onEvict = onEvict;
    this.close = close;
  }

  /** The set for the key, built on first use or after its eviction. */
  V get(String key, Function<String, V> build) {
    List<Map.Entry<V, Reason>> evicted = new ArrayList<>();
    List<V> toClose = new ArrayList<>();
    V value;
    synchronized (this) {
      Instant now = clock.instant();
      while (!retired.isEmpty() && !retired.peekFirst().evictedAt().plus(closeGrace).isAfter(now)) {
        toClose.add(retired.pollFirst().value());
      }
      expireIdle(now, evicted);
      Entry<V> entry = sets.get(key);
      value = entry != null ? entry.value() : build.apply(key);
      sets.put(key, new Entry<>(value, now));
      Iterator<Entry<V>> oldestFirst = sets.values().iterator();
      while (sets.size() > maxSets) {
        evicted.add(Map.entry(oldestFirst.next().value(), Reason.SIZE));
        oldestFirst.remove();
      }
      evicted.forEach(e -> retired.addLast(new Retired<>(e.getKey(), now)));
    }
    evicted.forEach(e -> onEvict.accept(e.getKey(), e.getValue()));
    toClose.forEach(close);
    return value;
  }

  private void expireIdle(Instant now, List<Map.Entry<V, Reason>> evicted) {
    Instant cutoff = now.minus(idleExpiry);
    // Access order means the idle ones are at the front; stop at the first one still in use.
    Iterator<Entry<V>> oldestFirst = sets.values().iterator();
    while (oldestFirst.hasNext()) {
      Entry<V> entry = oldestFirst.next();
      if (entry.lastUsed().isAfter(cutoff)) {
        break;
      }
      evicted.add(Map.entry(entry.value(), Reason.IDLE));
      oldestFirst.remove();
    }
  }

  synchronized int size() {
    return sets.size();
  }

  /** Closes every set, cached or waiting to be closed: on shutdown. */
  void closeAll() {
    List<V> all = new ArrayList<>();
    synchronized (this) {
      retired.forEach(e -> all.add(e.value()));
      sets.values().forEach(e -> all.add(e.value()));
      retired.clear();
      sets.clear();
    }
    all.forEach(close);
  }
}
