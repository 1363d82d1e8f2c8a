package dev.sagemaker.autoscaling.cli;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.Plan;
import dev.sagemaker.autoscaling.plan.Planner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * What the offline commands ({@code plan}, {@code simulate}) share: reading manifests as a user
 * would pass them to kubectl, and planning each resource with the names the operator would give it,
 * without a cluster or AWS.
 */
final class ManifestPlanning {
  @Option(
      names = "--cluster-name",
      defaultValue = "${env:CLUSTER_NAME:-default}",
      description = "Cluster name used in AWS object names (default: ${DEFAULT-VALUE}).")
  String clusterName;

  @Option(
      names = "--instance-type",
      description =
          "Instance type of the variant, for per-core and per-GPU metrics (read from the endpoint"
              + " when the operator runs).")
  String instanceType;

  /** One resource of a manifest, planned. */
  record Planned(String name, Owner owner, Plan plan) {}

  /**
   * The SageMakerScalingPolicy documents of a multi-document YAML file, in order; other kinds (a
   * Namespace, the Endpoint's own manifests) are skipped, as kubectl would apply them elsewhere.
   */
  static List<SageMakerScalingPolicy> read(Path manifest) throws IOException {
    List<SageMakerScalingPolicy> resources = new ArrayList<>();
    String content = Files.readString(manifest, StandardCharsets.UTF_8);
    for (String document : content.split("(?m)^---\\s*$")) {
      if (document.isBlank()) {
        continue;
      }
      GenericKubernetesResource generic =
          Serialization.unmarshal(document, GenericKubernetesResource.class);
      if (generic != null && "SageMakerScalingPolicy".equals(generic.getKind())) {
        resources.add(Serialization.unmarshal(document, SageMakerScalingPolicy.class));
      }
    }
    return resources;
  }

  /** Plans a resource as the operator would; without a namespace, kubectl's {@code default}. */
  Planned plan(SageMakerScalingPolicy resource) {
    String namespace =
        resource.getMetadata().getNamespace() == null
            ? "default"
            : resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    Owner owner = new Owner(clusterName, namespace, name);
    return new Planned(
        namespace + "/" + name,
        owner,
        Planner.plan(resource.getSpec(), owner, Optional.ofNullable(instanceType)));
  }
}
