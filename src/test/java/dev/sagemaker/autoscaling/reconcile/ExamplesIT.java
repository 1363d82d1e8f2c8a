package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.cli.PlanCommand;
import dev.sagemaker.autoscaling.testing.Examples;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import dev.sagemaker.autoscaling.testing.OperatorExtension.AwsObjects;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every manifest in examples/: `plan` prints the requests that create exactly what the operator
 * then creates in moto; removing any item removes exactly its AWS objects, alarms included;
 * deleting the resource removes everything it created.
 */
class ExamplesIT {
  @RegisterExtension
  final OperatorExtension fixture = OperatorExtension.operator(Duration.ofSeconds(30));

  static List<Path> examples() {
    return Examples.files();
  }

  private AwsObjects planned(Path example) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new PlanCommand());
    cli.setOut(new PrintWriter(out));
    int exit =
        cli.execute(
            "-f", example.toString(), "--cluster-name", "test", "--instance-type", "ml.c5.2xlarge");
    assertThat(exit).isZero();
    JsonNode requests = new ObjectMapper().readTree(out.toString());
    Set<String> targets = new TreeSet<>();
    Set<String> policies = new TreeSet<>();
    Set<String> alarms = new TreeSet<>();
    Set<String> schedules = new TreeSet<>();
    for (JsonNode request : requests) {
      JsonNode body = request.get("request");
      switch (request.get("operation").asText()) {
        case "RegisterScalableTarget" -> targets.add(body.get("ResourceId").asText());
        case "PutScalingPolicy" -> policies.add(body.get("PolicyName").asText());
        case "PutMetricAlarm" -> alarms.add(body.get("AlarmName").asText());
        case "PutScheduledAction" -> schedules.add(body.get("ScheduledActionName").asText());
        default -> {}
      }
    }
    assertThat(requests.get(0).get("operation").asText()).isEqualTo("RegisterScalableTarget");
    return new AwsObjects(targets, policies, alarms, schedules);
  }

  /** The plan names objects for namespace "default"; the test runs in its own namespace. */
  private AwsObjects inNamespace(AwsObjects planned, String namespace) {
    return new AwsObjects(
        planned.targets(),
        rename(planned.policies(), namespace),
        rename(planned.alarms(), namespace),
        rename(planned.schedules(), namespace));
  }

  private static Set<String> rename(Set<String> names, String namespace) {
    Set<String> out = new TreeSet<>();
    names.forEach(
        n -> out.add(n.replaceFirst("^smsp_test_default_", "smsp_test_" + namespace + "_")));
    return out;
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleConvergesAsPlannedAndEveryItemCanBeRemoved(Path example) throws Exception {
    SageMakerScalingPolicy resource = Examples.load(example, fixture.namespace());
    String name = resource.getMetadata().getName();
    fixture.moto().createBackingResource(resource);
    AwsObjects expected = inNamespace(planned(example), fixture.namespace());

    fixture.create(resource);
    fixture.awaitReady(name);
    assertThat(fixture.awsObjects()).isEqualTo(expected);
    assertThat(fixture.moto().targets()).hasSize(1);

    // Remove items one at a time: each removal takes exactly that item's objects away.
    List<Consumer<SageMakerScalingPolicy>> removals = new ArrayList<>();
    if (!resource.getSpec().getStepScaling().isEmpty()) {
      removals.add(r -> r.getSpec().getStepScaling().remove(0));
    }
    if (!resource.getSpec().getSchedules().isEmpty()) {
      removals.add(r -> r.getSpec().getSchedules().remove(0));
    }
    if (Boolean.TRUE.equals(resource.getSpec().getScaleFromZero())) {
      removals.add(
          r -> {
            r.getSpec().setScaleFromZero(false);
            // An inference component at zero copies needs scaleFromZero to ever leave zero.
            if (r.getSpec().getTarget().getInferenceComponentName() != null
                && r.getSpec().getMinCapacity() == 0) {
              r.getSpec().setMinCapacity(1);
            }
          });
    }
    if (resource.getSpec().getTargetTracking().size() > 1) {
      removals.add(r -> r.getSpec().getTargetTracking().remove(0));
    }
    for (Consumer<SageMakerScalingPolicy> removal : removals) {
      AwsObjects before = fixture.awsObjects();
      SageMakerScalingPolicy copy = fixture.get(name);
      removal.accept(copy);
      AwsObjects stillWanted = inNamespace(plannedFor(copy), fixture.namespace());
      fixture.update(name, removal);
      AwsObjects after = fixture.awsObjects();
      assertThat(after).isEqualTo(stillWanted);
      assertThat(before.policies()).containsAll(after.policies());
    }

    fixture.deleteAndAwaitGone(name);
    assertThat(fixture.awsObjects()).isEqualTo(AwsObjects.NONE);
    assertThat(fixture.moto().targets()).isEmpty();
  }

  private AwsObjects plannedFor(SageMakerScalingPolicy resource) throws Exception {
    Path file = Files.createTempFile("smsp", ".yaml");
    try {
      resource.getMetadata().setNamespace("default");
      resource.setStatus(null);
      Files.writeString(file, Serialization.asYaml(resource));
      return planned(file);
    } finally {
      Files.deleteIfExists(file);
      resource.getMetadata().setNamespace(fixture.namespace());
    }
  }
}
