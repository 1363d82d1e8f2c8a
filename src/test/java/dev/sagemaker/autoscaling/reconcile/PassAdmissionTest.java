package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PassAdmissionTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final PassAdmission admission = new PassAdmission(10, new ReconcileMetrics(meters));

  private int admitted(String namespace, int tries) {
    int admitted = 0;
    for (int i = 0; i < tries; i++) {
      if (admission.tryEnter(namespace)) {
        admitted++;
      }
    }
    return admitted;
  }

  @Test
  void aBurstInOneNamespaceLeavesAThreadForAnother() {
    assertThat(admitted("noisy", 40)).as("a namespace alone uses all threads but one").isEqualTo(9);

    assertThat(admission.tryEnter("quiet")).as("the newcomer finds the free thread").isTrue();
    assertThat(admission.inFlight()).isEqualTo(10);
    assertThat(admission.tryEnter("third"))
        .as("no more passes than threads, newcomer or not")
        .isFalse();
  }

  @Test
  void aBusyNamespaceWaitsUntilItIsBackWithinItsShare() {
    admitted("noisy", 9);
    admission.tryEnter("quiet");
    // Two namespaces: a share is ceil(9 / 2) = 5 threads each.
    for (int i = 0; i < 4; i++) {
      admission.leave("noisy");
      assertThat(admission.tryEnter("noisy")).as("noisy holds %d", 8 - i).isFalse();
    }
    assertThat(admission.inFlight("noisy")).isEqualTo(5);
    assertThat(admission.tryEnter("quiet")).as("quiet 2 of its 5").isTrue();
    assertThat(admitted("quiet", 5)).as("up to its share and the free thread").isEqualTo(2);
    assertThat(admission.inFlight("quiet")).isEqualTo(4);
    assertThat(admission.inFlight()).as("one thread stays free").isEqualTo(9);
  }

  @Test
  void aNamespaceForgottenWhenItsLastPassEndsIsANewcomerAgain() {
    PassAdmission one = new PassAdmission(1, new ReconcileMetrics(meters));
    assertThat(one.tryEnter("a")).isTrue();
    assertThat(one.tryEnter("b")).as("one thread, taken").isFalse();
    one.leave("a");
    assertThat(one.inFlight("a")).isZero();
    assertThat(one.tryEnter("b")).isTrue();
  }

  @Test
  void leavingWithoutEnteringIsABug() {
    assertThatThrownBy(() -> admission.leave("nobody")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new PassAdmission(0, new ReconcileMetrics(meters)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deferralsAndPassesInFlightAreMetricsByNamespace() {
    admitted("noisy", 12);
    admission.tryEnter("quiet");

    assertThat(meters.get("smsp_passes_deferred").tag("namespace", "noisy").counter().count())
        .isEqualTo(3);
    assertThat(meters.find("smsp_passes_deferred").tag("namespace", "quiet").counter()).isNull();
    assertThat(meters.get("smsp_passes_in_flight").tag("namespace", "noisy").gauge().value())
        .isEqualTo(9);
    admission.leave("quiet");
    assertThat(meters.get("smsp_passes_in_flight").tag("namespace", "quiet").gauge().value())
        .isZero();
  }

  @Test
  void aDeferredPassComesBackWithinOneToTwoSeconds() {
    for (int i = 0; i < 100; i++) {
      assertThat(admission.deferral()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
  }
}
