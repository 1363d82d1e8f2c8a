package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Waiting looks again less and less often, per resource and generation, never past the cap. */
class WaitBackoffTest {
  private static final Duration FIRST = Duration.ofSeconds(30);
  private static final Duration MAX = Duration.ofMinutes(5);

  @Test
  void doublesPerLookUpToTheCapPerResource() {
    WaitBackoff longest = new WaitBackoff(FIRST, MAX, bound -> bound);

    assertThat(longest.next("a", 1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(longest.next("a", 1)).isEqualTo(Duration.ofSeconds(60));
    assertThat(longest.next("b", 1)).as("counted per resource").isEqualTo(Duration.ofSeconds(30));
    assertThat(longest.next("a", 1)).isEqualTo(Duration.ofSeconds(120));
    assertThat(longest.next("a", 1)).isEqualTo(Duration.ofSeconds(240));
    for (int i = 0; i < 100; i++) {
      assertThat(longest.next("a", 1)).isEqualTo(MAX);
    }
  }

  @Test
  void aNewGenerationOrLeavingTheWaitStartsOver() {
    WaitBackoff longest = new WaitBackoff(FIRST, MAX, bound -> bound);
    longest.next("a", 1);
    longest.next("a", 1);

    assertThat(longest.next("a", 2)).isEqualTo(FIRST);
    assertThat(longest.next("a", 2)).isEqualTo(Duration.ofSeconds(60));
    longest.reset("a");
    assertThat(longest.next("a", 2)).isEqualTo(FIRST);
  }

  @Test
  void jitterStaysInTheUpperQuarterSoTheCapBoundsTheRate() {
    WaitBackoff shortest = new WaitBackoff(FIRST, MAX, bound -> 0);
    assertThat(shortest.next("a", 1)).isEqualTo(Duration.ofMillis(22_500));

    WaitBackoff random = new WaitBackoff(FIRST, MAX, bound -> (long) (Math.random() * bound));
    for (int i = 0; i < 200; i++) {
      assertThat(random.next("r", 1)).isBetween(Duration.ofMillis(22_500), MAX);
    }
    assertThat(random.next("r", 1))
        .as("at the cap, at least three quarters of it")
        .isBetween(Duration.ofSeconds(225), MAX);
  }
}
