package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.testing.Examples;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;

/**
 * A scheduled action that fired in moto keeps its capacity window through resyncs; bounds no
 * schedule explains are restored; a spec change applies its own bounds even inside a window.
 */
class ScheduledScalingIT {
  private static final Duration RESYNC = Duration.ofSeconds(2);
  private static final String NAME = "nightly-recommendations";
  private static final String RESOURCE_ID = "endpoint/recommendations-batch/variant/AllTraffic";
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @RegisterExtension
  final OperatorExtension fixture = OperatorExtension.operator(RESYNC).throughProxy();

  private ScalableTarget target() {
    return fixture.moto().targets().stream()
        .filter(t -> t.resourceId().equals(RESOURCE_ID))
        .findFirst()
        .orElseThrow();
  }

  private long registrations() {
    return fixture.proxy().calls().getOrDefault("RegisterScalableTarget", 0L);
  }

  /**
   * Moves the moto clock to the next 01:00 in Berlin and past it, so burst-open (4–8) is the last
   * action run.
   */
  private List<Map<String, Object>> openTheWindow() {
    ZonedDateTime now = fixture.moto().clock().atZone(BERLIN);
    ZonedDateTime open = now.toLocalDate().plusDays(1).atTime(LocalTime.of(1, 0)).atZone(BERLIN);
    fixture.moto().advanceClock(open.minusMinutes(2).toInstant());
    return fixture.moto().advanceClock(open.plusMinutes(1).toInstant());
  }

  /**
   * Waits until the operator has finished this many more converged passes. A quiet resync writes no
   * status, so passes are counted where the operator counts them: its reconcile timer.
   */
  private void awaitResyncs(int passes) {
    long before = convergedPasses();
    await()
        .atMost(Duration.ofSeconds(30L * passes))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> convergedPasses() >= before + passes);
  }

  private long convergedPasses() {
    Timer timer =
        fixture
            .operator()
            .runtime
            .registry()
            .find("smsp_reconcile")
            .tag("outcome", "Converged")
            .timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void aFiredWindowHoldsUnexplainedDriftIsRestoredAndASpecChangeApplies() {
    SageMakerScalingPolicy resource =
        Examples.load(Path.of("examples/batch-scheduled.yaml"), fixture.namespace());
    fixture.moto().createBackingResource(resource);
    fixture.create(resource);
    fixture.awaitReady(NAME);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixture.moto().scheduledActions().size() == 2);
    assertThat(target().minCapacity()).isEqualTo(1);
    assertThat(target().maxCapacity()).isEqualTo(2);

    List<Map<String, Object>> ran = openTheWindow();
    assertThat(ran)
        .extracting(r -> String.valueOf(r.get("ScheduledActionName")))
        .last()
        .asString()
        .endsWith("burst-open");
    assertThat(target().minCapacity()).isEqualTo(4);
    assertThat(target().maxCapacity()).isEqualTo(8);
    long registrationsAtFire = registrations();

    awaitResyncs(5);
    assertThat(target().minCapacity()).as("min after 5 resyncs").isEqualTo(4);
    assertThat(target().maxCapacity()).as("max after 5 resyncs").isEqualTo(8);
    assertThat(registrations() - registrationsAtFire)
        .as("RegisterScalableTarget calls after the fire")
        .isZero();
    var bounds = fixture.get(NAME).getStatus().getScheduledBounds();
    assertThat(bounds).isNotNull();
    assertThat(bounds.getMinCapacity()).isEqualTo(4);
    assertThat(bounds.getMaxCapacity()).isEqualTo(8);
    assertThat(bounds.getSetBy()).endsWith("burst-open");

    // Out of band, bounds no schedule of the spec sets: the spec's bounds come back.
    fixture
        .moto()
        .autoScaling
        .registerScalableTarget(
            r ->
                r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId(RESOURCE_ID)
                    .scalableDimension("sagemaker:variant:DesiredInstanceCount")
                    .minCapacity(3)
                    .maxCapacity(8));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> target().minCapacity() == 1 && target().maxCapacity() == 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixture.get(NAME).getStatus().getScheduledBounds() == null);

    // Inside a window again, a new spec's bounds still apply.
    openTheWindow();
    assertThat(target().maxCapacity()).isEqualTo(8);
    fixture.update(
        NAME,
        r -> {
          r.getSpec().setMinCapacity(2);
          r.getSpec().setMaxCapacity(3);
        });
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> target().minCapacity() == 2 && target().maxCapacity() == 3);
    awaitResyncs(2);
    assertThat(target().minCapacity()).isEqualTo(2);
    assertThat(target().maxCapacity()).isEqualTo(3);
    assertThat(fixture.get(NAME).getStatus().getScheduledBounds()).isNull();
  }
}
