package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.AwsClientFactory;
import dev.sagemaker.autoscaling.cli.OperatorRuntime;
import dev.sagemaker.autoscaling.cli.RunCommand;
import dev.sagemaker.autoscaling.tenancy.TenancyMode;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import dev.sagemaker.autoscaling.testing.OperatorHarness;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import dev.sagemaker.autoscaling.testing.TestEnvironment.Cluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two clusters, each a real API server with its own operator, sharing one AWS account (one moto):
 * with default settings each derives its own cluster name, so the same namespace and name in both
 * never touch each other's objects; with the same explicit cluster name, AWS's owner tag and marks
 * keep the second off the first's target.
 */
class TwoClustersIT {
  private static final Duration RESYNC = Duration.ofSeconds(3);
  private static final String NAME = "recommender";

  @RegisterExtension final OperatorExtension fixture = OperatorExtension.withoutOperator();

  private static Cluster other;
  private final List<OperatorRuntime> operators = new ArrayList<>();

  @BeforeAll
  static void startTheOtherCluster() throws IOException {
    TestEnvironment.ensureStarted();
    other = Cluster.start();
  }

  @AfterAll
  static void stopTheOtherCluster() {
    if (other != null) {
      other.close();
    }
  }

  @AfterEach
  void stopOperators() {
    operators.forEach(OperatorRuntime::close);
  }

  @Test
  void theSameNamespaceAndNameInTwoClustersConvergeAndDeletingOneLeavesTheOthersObjects()
      throws Exception {
    startOperators(RunCommand.clusterName("", fixture.client()), clusterName(other.client()));
    assertThat(clusterName(fixture.client()))
        .as("derived names differ")
        .isNotEqualTo(clusterName(other.client()));
    fixture.seed(NAME, "ep-here");
    fixture.moto().createEndpoint("ep-there", "prod", "ml.c5.2xlarge", 1);
    other.client().resource(fixture.seedManifest(NAME, "ep-there")).create();

    fixture.awaitReady(NAME);
    awaitReason(other.client(), "Converged");
    assertThat(fixture.awsObjects().count()).isEqualTo(2 * (1 + 5 + 2));
    OperatorExtension.AwsObjects here =
        objectsOf(
            "smsp_" + clusterName(fixture.client()) + "_" + fixture.namespace() + "_" + NAME + "_",
            "ep-here");
    assertThat(here.count()).isEqualTo(1 + 5 + 2);

    deleteAndAwaitGone(other.client());

    assertThat(fixture.awsObjects()).as("this cluster's objects, and nothing else").isEqualTo(here);
    Thread.sleep(RESYNC.multipliedBy(2).toMillis());
    assertThat(fixture.isReady(NAME)).isTrue();
    assertThat(fixture.awsObjects()).isEqualTo(here);
  }

  @Test
  void withTheSameExplicitClusterNameTheSecondIsAConflictAndNeitherLosesAnObject()
      throws Exception {
    startOperators("shared", "shared");
    fixture.seed(NAME, "ep-shared");
    fixture.awaitReady(NAME);
    OperatorExtension.AwsObjects first = fixture.awsObjects();
    assertThat(first.count()).isEqualTo(1 + 5 + 2);

    other.client().resource(fixture.seedManifest(NAME, "ep-shared")).create();
    awaitReason(other.client(), "Conflict");
    Thread.sleep(RESYNC.multipliedBy(2).toMillis());
    assertThat(fixture.awsObjects()).isEqualTo(first);
    assertThat(fixture.isReady(NAME)).isTrue();
    assertThat(reason(other.client())).isEqualTo("Conflict");

    deleteAndAwaitGone(other.client());
    assertThat(fixture.awsObjects()).as("the second's deletion removes nothing").isEqualTo(first);
    assertThat(fixture.isReady(NAME)).isTrue();

    fixture.deleteAndAwaitGone(NAME);
    assertThat(fixture.awsObjects().count()).isZero();
  }

  private void startOperators(String here, String there) throws IOException {
    other
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(fixture.namespace())
                .withAnnotations(OperatorHarness.GRANT_EVERYTHING)
                .endMetadata()
                .build())
        .createOr(existing -> existing.update());
    operators.add(start(fixture.client(), here));
    operators.add(start(other.client(), there));
  }

  private OperatorRuntime start(KubernetesClient client, String clusterName) throws IOException {
    return OperatorRuntime.start(
        new RunCommand.OperatorSettings(
            Set.of(fixture.namespace()),
            null,
            RESYNC,
            clusterName,
            0,
            null,
            null,
            4,
            TenancyMode.NAMESPACE_GRANTS),
        client,
        new AwsClientFactory.Settings(
            Optional.of(Moto.REGION),
            Optional.of(TestEnvironment.motoEndpoint()),
            Moto.CREDENTIALS,
            3,
            Duration.ofSeconds(30)));
  }

  private static String clusterName(KubernetesClient client) {
    return RunCommand.clusterName("", client);
  }

  private OperatorExtension.AwsObjects objectsOf(String prefix, String endpoint) {
    OperatorExtension.AwsObjects all = fixture.awsObjects();
    return new OperatorExtension.AwsObjects(
        Set.copyOf(all.targets().stream().filter(t -> t.contains("/" + endpoint + "/")).toList()),
        filter(all.policies(), prefix),
        filter(all.alarms(), prefix),
        filter(all.schedules(), prefix));
  }

  private static Set<String> filter(Set<String> names, String prefix) {
    return Set.copyOf(names.stream().filter(n -> n.startsWith(prefix)).toList());
  }

  private SageMakerScalingPolicy there(KubernetesClient client) {
    return client
        .resources(SageMakerScalingPolicy.class)
        .inNamespace(fixture.namespace())
        .withName(NAME)
        .get();
  }

  private String reason(KubernetesClient client) {
    SageMakerScalingPolicy r = there(client);
    return r == null ? "" : condition(r, "Ready").map(c -> c.getReason()).orElse("");
  }

  private void awaitReason(KubernetesClient client, String expected) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(reason(client)).isEqualTo(expected));
  }

  private void deleteAndAwaitGone(KubernetesClient client) {
    client
        .resources(SageMakerScalingPolicy.class)
        .inNamespace(fixture.namespace())
        .withName(NAME)
        .delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> there(client) == null);
  }
}
