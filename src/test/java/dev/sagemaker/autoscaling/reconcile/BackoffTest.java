package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Exponential per resource, capped, jittered in the upper half, and reset by success. */
class BackoffTest {
  private static final Duration BASE = Duration.ofSeconds(2);
  private static final Duration MAX = Duration.ofSeconds(30);

  @Test
  void doublesPerFailureUpToTheCap() {
    Backoff longest = new Backoff(BASE, MAX, bound -> bound);

    assertThat(longest.next("a")).isEqualTo(Duration.ofSeconds(2));
    assertThat(longest.next("a")).isEqualTo(Duration.ofSeconds(4));
    assertThat(longest.next("a")).isEqualTo(Duration.ofSeconds(8));
    assertThat(longest.next("a")).isEqualTo(Duration.ofSeconds(16));
    assertThat(longest.next("a")).isEqualTo(Duration.ofSeconds(30));
    for (int i = 0; i < 100; i++) {
      assertThat(longest.next("a")).isEqualTo(Duration.ofSeconds(30));
    }
  }

  @Test
  void jitterStaysInTheUpperHalfOfTheCeiling() {
    Backoff shortest = new Backoff(BASE, MAX, bound -> 0);
    assertThat(shortest.next("a")).isEqualTo(Duration.ofSeconds(1));
    assertThat(shortest.next("a")).isEqualTo(Duration.ofSeconds(2));

    Backoff random = new Backoff(BASE, MAX);
    for (int i = 0; i < 200; i++) {
      Duration d = random.next("r");
      assertThat(d).isBetween(Duration.ofMillis(1), MAX);
    }
    random.reset("r");
    assertThat(random.next("r")).isBetween(Duration.ofSeconds(1), BASE);
  }

  @Test
  void failuresCountPerResourceAndResetStartsOver() {
    Backoff backoff = new Backoff(BASE, MAX, bound -> bound);
    backoff.next("a");
    backoff.next("a");

    assertThat(backoff.next("b")).as("another resource starts at the base").isEqualTo(BASE);

    backoff.reset("a");
    assertThat(backoff.next("a")).isEqualTo(BASE);
  }
}
