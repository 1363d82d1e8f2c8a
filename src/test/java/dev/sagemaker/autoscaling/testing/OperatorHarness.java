package dev.sagemaker.autoscaling.testing;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.AwsCallMetrics;
import dev.sagemaker.autoscaling.aws.AwsClientFactory;
import dev.sagemaker.autoscaling.cli.OperatorRuntime;
import dev.sagemaker.autoscaling.cli.RunCommand;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Runs the operator in the test JVM against the shared API server and moto, as production wires it.
 */
public final class OperatorHarness implements AutoCloseable {
  public final OperatorRuntime runtime;
  public final String namespace;

  private OperatorHarness(OperatorRuntime runtime, String namespace) {
    this.runtime = runtime;
    this.namespace = namespace;
  }

  /**
   * Starts an operator watching a fresh namespace, with the given resync period, reaching moto
   * directly.
   */
  public static OperatorHarness start(Duration resync) throws IOException {
    return start(resync, TestEnvironment.motoEndpoint(), newNamespace("t"), null);
  }

  /** Namespace annotations that grant every target, role, region and adoption. */
  public static final Map<String, String> GRANT_EVERYTHING =
      Map.of(
          NamespaceGrants.ALLOWED_TARGETS, "*",
          NamespaceGrants.ALLOWED_ROLES, "*",
          NamespaceGrants.ALLOWED_REGIONS, "*",
          NamespaceGrants.ALLOW_ADOPT, "true");

  /**
   * Creates a namespace named prefix-random whose grants allow every target, role and region, so
   * the operator runs in its default tenancy mode, namespace grants, as it does in production;
   * TenancyIT and TenancyAdmissionIT test narrower grants.
   */
  public static String newNamespace(String prefix) {
    return newNamespace(prefix, GRANT_EVERYTHING);
  }

  /** Creates a namespace named prefix-random with these annotations (grants), say none. */
  public static String newNamespace(String prefix, Map<String, String> annotations) {
    String namespace = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    TestEnvironment.client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .withAnnotations(annotations)
                .endMetadata()
                .build())
        .create();
    return namespace;
  }

  /**
   * An operator for one namespace, optionally only for resources matching labelSelector (a shard).
   */
  public static OperatorHarness start(
      Duration resync, URI awsEndpoint, String namespace, String labelSelector) throws IOException {
    KubernetesClient client = TestEnvironment.client();
    AwsClientFactory.Settings aws =
        new AwsClientFactory.Settings(
            Optional.of(Moto.REGION),
            Optional.of(awsEndpoint),
            Moto.CREDENTIALS,
            3,
            Duration.ofSeconds(30));
    OperatorRuntime runtime =
        OperatorRuntime.start(
            new RunCommand.OperatorSettings(
                Set.of(namespace), labelSelector, resync, "test", 0, null, null, 4),
            client,
            aws);
    return new OperatorHarness(runtime, namespace);
  }

  public AwsCallMetrics awsCalls() {
    return runtime.awsCalls();
  }

  public SageMakerScalingPolicy get(String name) {
    return TestEnvironment.client()
        .resources(SageMakerScalingPolicy.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  public static Optional<Condition> condition(SageMakerScalingPolicy resource, String type) {
    if (resource == null || resource.getStatus() == null) {
      return Optional.empty();
    }
    return resource.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  public static boolean isTrue(SageMakerScalingPolicy resource, String type) {
    return condition(resource, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  @Override
  public void close() {
    runtime.close();
  }
}
