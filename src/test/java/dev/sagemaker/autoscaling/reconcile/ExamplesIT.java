package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.cli.PlanCommand;
import dev.sagemaker.autoscaling.testing.Examples;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorHarness;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/**
 * Every manifest in examples/: `plan` prints the requests that create exactly what the operator then
 * creates in moto; removing any item removes exactly its AWS objects, alarms included; deleting the
 * resource removes everything it created.
 */
@ExtendWith(TestEnvironment.class)
class ExamplesIT {
  private OperatorHarness operator;
  private Moto moto;

  @BeforeEach
  void start() throws Exception {
    TestEnvironment.resetMoto();
    moto = new Moto(TestEnvironment.motoEndpoint());
    operator = OperatorHarness.start(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    operator.close();
    moto.close();
  }

  static List<Path> examples() {
    return Examples.files();
  }

  /** What AWS holds: policy, alarm and scheduled-action names. */
  private record Objects(Set<String> policies, Set<String> alarms, Set<String> schedules) {}

  private Objects inMoto() {
    return new Objects(
        new TreeSet<>(moto.policies().stream().map(ScalingPolicy::policyName).toList()),
        new TreeSet<>(moto.alarms().stream().map(MetricAlarm::alarmName).toList()),
        new TreeSet<>(moto.scheduledActions().stream().map(a -> a.scheduledActionName()).toList()));
  }

  private Objects planned(Path example) throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    CommandLine cli = new CommandLine(new PlanCommand());
    cli.setOut(new java.io.PrintWriter(out));
    int exit = cli.execute("-f", example.toString(), "--cluster-name", "test", "--instance-type", "ml.c5.2xlarge");
    assertThat(exit).isZero();
    JsonNode requests = new ObjectMapper().readTree(out.toString());
    Set<String> policies = new TreeSet<>();
    Set<String> alarms = new TreeSet<>();
    Set<String> schedules = new TreeSet<>();
    for (JsonNode request : requests) {
      JsonNode body = request.get("request");
      switch (request.get("operation").asText()) {
        case "PutScalingPolicy" -> policies.add(body.get("PolicyName").asText());
        case "PutMetricAlarm" -> alarms.add(body.get("AlarmName").asText());
        case "PutScheduledAction" -> schedules.add(body.get("ScheduledActionName").asText());
        default -> { }
      }
    }
    assertThat(requests.get(0).get("operation").asText()).isEqualTo("RegisterScalableTarget");
    return new Objects(policies, alarms, schedules);
  }

  /** The plan names objects for namespace "default"; the test runs in its own namespace. */
  private Objects inNamespace(Objects planned, String namespace) {
    return new Objects(rename(planned.policies(), namespace), rename(planned.alarms(), namespace), rename(planned.schedules(), namespace));
  }

  private static Set<String> rename(Set<String> names, String namespace) {
    Set<String> out = new TreeSet<>();
    names.forEach(n -> out.add(n.replaceFirst("^smsp_test_default_", "smsp_test_" + namespace + "_")));
    return out;
  }

  private void update(String name, Consumer<SageMakerScalingPolicy> change) {
    SageMakerScalingPolicy current = operator.get(name);
    change.accept(current);
    SageMakerScalingPolicy updated = TestEnvironment.client().resource(current).update();
    long generation = updated.getMetadata().getGeneration();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      SageMakerScalingPolicy r = operator.get(name);
      assertThat(r.getStatus().getObservedGeneration()).isEqualTo(generation);
      assertThat(condition(r, "Ready")).hasValueSatisfying(c -> assertThat(c.getStatus()).as(c.getMessage()).isEqualTo("True"));
    });
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleConvergesAsPlannedAndEveryItemCanBeRemoved(Path example) throws Exception {
    SageMakerScalingPolicy resource = Examples.load(example, operator.namespace);
    String name = resource.getMetadata().getName();
    moto.createBackingResource(resource);
    Objects expected = inNamespace(planned(example), operator.namespace);

    TestEnvironment.client().resource(resource).create();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(condition(operator.get(name), "Ready")).hasValueSatisfying(c ->
            assertThat(c.getStatus()).as(c.getMessage()).isEqualTo("True")));
    assertThat(inMoto()).isEqualTo(expected);
    assertThat(moto.targets()).hasSize(1);

    // Remove items one at a time: each removal takes exactly that item's objects away.
    List<Consumer<SageMakerScalingPolicy>> removals = new ArrayList<>();
    if (!resource.getSpec().getStepScaling().isEmpty()) {
      removals.add(r -> r.getSpec().getStepScaling().remove(0));
    }
    if (!resource.getSpec().getSchedules().isEmpty()) {
      removals.add(r -> r.getSpec().getSchedules().remove(0));
    }
    if (Boolean.TRUE.equals(resource.getSpec().getScaleFromZero())) {
      removals.add(r -> {
        r.getSpec().setScaleFromZero(false);
        // An inference component at zero copies needs scaleFromZero to ever leave zero.
        if (r.getSpec().getTarget().getInferenceComponentName() != null && r.getSpec().getMinCapacity() == 0) {
          r.getSpec().setMinCapacity(1);
        }
      });
    }
    if (resource.getSpec().getTargetTracking().size() > 1) {
      removals.add(r -> r.getSpec().getTargetTracking().remove(0));
    }
    for (Consumer<SageMakerScalingPolicy> removal : removals) {
      Objects before = inMoto();
      SageMakerScalingPolicy copy = operator.get(name);
      removal.accept(copy);
      Objects stillWanted = inNamespace(plannedFor(copy), operator.namespace);
      update(name, removal);
      Objects after = inMoto();
      assertThat(after).isEqualTo(stillWanted);
      assertThat(before.policies()).containsAll(after.policies());
    }

    TestEnvironment.client().resource(operator.get(name)).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> operator.get(name) == null);
    assertThat(inMoto()).isEqualTo(new Objects(Set.of(), Set.of(), Set.of()));
    assertThat(moto.targets()).isEmpty();
  }

  private Objects plannedFor(SageMakerScalingPolicy resource) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("smsp", ".yaml");
    try {
      resource.getMetadata().setNamespace("default");
      resource.setStatus(null);
      java.nio.file.Files.writeString(file, io.fabric8.kubernetes.client.utils.Serialization.asYaml(resource));
      return planned(file);
    } finally {
      java.nio.file.Files.deleteIfExists(file);
      resource.getMetadata().setNamespace(operator.namespace);
    }
  }
}
