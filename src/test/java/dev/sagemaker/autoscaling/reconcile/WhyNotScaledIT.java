package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.ScalingStatus;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * "Why did it not scale?" answered where the engineer looks, against the real API server and moto:
 * an alarm set to ALARM shows in status and in kubectl get's Scaling column within a resync, and a
 * target held at max by AlreadyAtMaxCapacity past the threshold gets one Warning Event (not one per
 * resync) and the metrics.
 */
class WhyNotScaledIT {
  private static final Duration RESYNC = Duration.ofSeconds(2);
  private static final String NAME = "recommender";
  private static final String ENDPOINT = "recommender-prod";
  private static final String RESOURCE_ID = "endpoint/" + ENDPOINT + "/variant/prod";
  private static final String DIMENSION = "sagemaker:variant:DesiredInstanceCount";

  @RegisterExtension final OperatorExtension fixture = OperatorExtension.operator(RESYNC);

  @Test
  void anAlarmAndAHoldAtMaxShowInStatusColumnEventsAndMetrics() throws Exception {
    // The seed (min 1, max 3) on an endpoint already running 3 instances: at its max.
    fixture.moto().createEndpoint(ENDPOINT, "prod", "ml.c5.2xlarge", 3);
    fixture.create(fixture.seedManifest(NAME, ENDPOINT));
    fixture.awaitReady(NAME);
    String upper = fixture.awsPrefix(NAME) + "cpu-steps_upper";
    assertThat(fixture.moto().alarms()).anyMatch(a -> a.alarmName().equals(upper));

    fixture.moto().setAlarmState(upper, StateValue.ALARM, "Threshold Crossed: test, 85 > 70");
    long passesBefore = convergedPasses();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> "Alarm cpu-steps_upper".equals(scaling().getSummary()));
    assertThat(convergedPasses() - passesBefore)
        .as("converged passes until the alarm showed (one resync refreshes the inventory too)")
        .isLessThanOrEqualTo(3);
    ScalingStatus alarmed = scaling();
    assertThat(alarmed.getAlarms())
        .anySatisfy(
            a -> {
              assertThat(a.getName()).isEqualTo(upper);
              assertThat(a.getState()).isEqualTo("ALARM");
              assertThat(a.getReason()).isEqualTo("Threshold Crossed: test, 85 > 70");
              assertThat(a.getSince()).isNotNull();
            });
    assertThat(alarmed.getCurrentCapacity()).isEqualTo(3);
    assertThat(alarmed.getMaxCapacity()).isEqualTo(3);
    assertThat(kubectl("get", "smsp", NAME))
        .as("kubectl get shows the answer in the Scaling column")
        .contains("SCALING")
        .contains("Alarm cpu-steps_upper");

    // AWS refuses to scale out: at max since 20 minutes, past the default 15-minute threshold.
    Instant refusedAt = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);
    refuse(upper, refusedAt);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> "AtMax".equals(scaling().getSummary()));
    ScalingStatus held = scaling();
    assertThat(Instant.parse(held.getHeldAtMaxSince())).isEqualTo(refusedAt);
    assertThat(held.getLatestNotScaled().getNotScaledReason()).isEqualTo("AlreadyAtMaxCapacity");
    await().atMost(Duration.ofSeconds(10)).until(() -> heldAtMaxWarnings().size() == 1);

    // AWS keeps refusing while the alarm fires: the same episode, counted, not warned again.
    refuse(upper, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> notScaledCount() == 1.0);
    awaitResyncs(5);
    assertThat(heldAtMaxWarnings())
        .as("one Warning for the episode, not one per resync")
        .hasSize(1);
    assertThat(heldAtMaxWarnings().get(0).getMessage())
        .contains("held at maxCapacity 3")
        .contains("AlreadyAtMaxCapacity");
    assertThat(heldAtMaxSeconds()).isGreaterThanOrEqualTo(20 * 60);
    assertThat(notScaledCount())
        .as("not-scaled activities since the resource was created, by reason")
        .isEqualTo(1.0);
    assertThat(
            registry()
                .find("smsp_capacity")
                .tags("namespace", fixture.namespace(), "name", NAME, "type", "max")
                .gauge()
                .value())
        .isEqualTo(3.0);

    String get = kubectl("get", "smsp", NAME);
    String describe = kubectl("describe", "smsp", NAME);
    assertThat(get).contains("AtMax");
    assertThat(describe).contains("HeldAtMaxCapacity").contains("AlreadyAtMaxCapacity");
    // The README shows this run's output.
    Path out = Path.of("target", "why-not-scaled.txt");
    Files.writeString(out, "$ kubectl get smsp\n" + get + "\n$ kubectl describe smsp\n" + describe);
  }

  @Test
  void aTargetTrackingPolicysAwsCreatedAlarmsShowInStatusAndAreLeftToAws() throws Exception {
    fixture.moto().createEndpoint(ENDPOINT, "prod", "ml.c5.2xlarge", 1);
    fixture.create(fixture.seedManifest(NAME, ENDPOINT));
    fixture.awaitReady(NAME);
    String cpuPolicy = fixture.awsPrefix(NAME) + "cpu";
    List<String> cpuAlarms =
        fixture.moto().policies().stream()
            .filter(p -> p.policyName().equals(cpuPolicy))
            .flatMap(p -> p.alarms().stream())
            .map(a -> a.alarmName())
            .sorted()
            .toList();
    assertThat(cpuAlarms)
        .as("AWS (the moto extension) created an AlarmHigh and an AlarmLow for the policy")
        .hasSize(2)
        .allMatch(n -> n.startsWith("TargetTracking-" + RESOURCE_ID + "-Alarm"));
    String high = cpuAlarms.get(0);
    String low = cpuAlarms.get(1);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                scaling().getAlarms().stream()
                        .filter(a -> cpuPolicy.equals(a.getTargetTrackingPolicy()))
                        .count()
                    == 2);

    fixture.moto().setAlarmState(low, StateValue.ALARM, "Threshold Crossed: low load");
    fixture
        .moto()
        .setAlarmState(high, StateValue.INSUFFICIENT_DATA, "Insufficient Data: no datapoints");
    long passesBefore = convergedPasses();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> "NoData cpu_AlarmHigh".equals(scaling().getSummary()));
    assertThat(convergedPasses() - passesBefore)
        .as("converged passes until the state showed (one resync refreshes the inventory too)")
        .isLessThanOrEqualTo(3);
    assertThat(scaling().getAlarms())
        .filteredOn(a -> cpuPolicy.equals(a.getTargetTrackingPolicy()))
        .extracting(a -> a.getName() + " " + a.getState() + ": " + a.getReason())
        .containsExactly(
            high + " INSUFFICIENT_DATA: Insufficient Data: no datapoints",
            low + " ALARM: Threshold Crossed: low load");
    assertThat(kubectl("get", "smsp", NAME)).contains("NoData cpu_AlarmHigh");
    assertThat(
            registry()
                .find("smsp_alarm_state")
                .tags("namespace", fixture.namespace(), "name", NAME, "alarm", high)
                .tag("state", "INSUFFICIENT_DATA")
                .gauge()
                .value())
        .isEqualTo(1.0);

    // AWS scales in at low load; an AlarmLow in ALARM is not the answer once the High has data.
    fixture.moto().setAlarmState(high, StateValue.OK, "Threshold Crossed: below target");
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !scaling().getSummary().contains("cpu_Alarm"));

    fixture.deleteAndAwaitGone(NAME);
    assertThat(fixture.moto().targets()).isEmpty();
    assertThat(fixture.moto().trackingAlarms())
        .as("deregistering the target made AWS delete the alarms it created")
        .isEmpty();
  }

  /** A not-scaled AlreadyAtMaxCapacity activity, as AWS records it when the alarm asks for more. */
  private void refuse(String alarm, Instant at) {
    fixture
        .moto()
        .addScalingActivity(
            Map.of(
                "ResourceId",
                RESOURCE_ID,
                "ScalableDimension",
                DIMENSION,
                "StartTime",
                at.toString(),
                "Description",
                "Attempting to set desired instance count to 4.",
                "Cause",
                "monitor alarm " + alarm + " in state ALARM triggered policy cpu-steps_upper",
                "NotScaledReasons",
                List.of(
                    Map.of(
                        "Code", "AlreadyAtMaxCapacity", "MaxCapacity", 3, "CurrentCapacity", 3))));
  }

  private double notScaledCount() {
    Counter c =
        registry()
            .find("smsp_not_scaled_activities")
            .tags("namespace", fixture.namespace(), "name", NAME, "reason", "AlreadyAtMaxCapacity")
            .counter();
    return c == null ? 0 : c.count();
  }

  private ScalingStatus scaling() {
    var r = fixture.get(NAME);
    return r.getStatus() == null || r.getStatus().getScaling() == null
        ? new ScalingStatus()
        : r.getStatus().getScaling();
  }

  private List<Event> heldAtMaxWarnings() {
    return fixture.events().stream()
        .filter(e -> "HeldAtMaxCapacity".equals(e.getReason()))
        .filter(e -> NAME.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private MeterRegistry registry() {
    return fixture.operator().runtime.registry();
  }

  private double heldAtMaxSeconds() {
    Gauge g =
        registry()
            .find("smsp_held_at_max_seconds")
            .tags("namespace", fixture.namespace(), "name", NAME)
            .gauge();
    return g == null ? 0 : g.value();
  }

  private void awaitResyncs(int passes) {
    long before = convergedPasses();
    await()
        .atMost(Duration.ofSeconds(30L * passes))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> convergedPasses() >= before + passes);
  }

  private long convergedPasses() {
    Timer timer = registry().find("smsp_reconcile").tag("outcome", "Converged").timer();
    return timer == null ? 0 : timer.count();
  }

  /** kubectl against the test API server, as an engineer would run it. */
  private String kubectl(String... args) throws IOException, InterruptedException {
    String bin = System.getenv("SMSP_TOOLS_BIN");
    List<String> command = new ArrayList<>();
    command.add(bin == null ? "kubectl" : bin + "/kubectl");
    command.add("--kubeconfig=" + fixture.kubeconfig());
    command.add("--namespace=" + fixture.namespace());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("kubectl %s: %s", String.join(" ", args), output).isZero();
    return output;
  }
}
