package dev.sagemaker.autoscaling.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.RequestRenderer;
import dev.sagemaker.autoscaling.plan.Change;
import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.Differ;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.Plan;
import dev.sagemaker.autoscaling.plan.Planner;
import dev.sagemaker.autoscaling.plan.SpecProblem;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the AWS requests a manifest would make from nothing, without a cluster or AWS. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Print, in order, the AWS requests that would create a manifest's autoscaling from"
            + " nothing.")
public final class PlanCommand implements Callable<Integer> {
  enum Output {
    json,
    text
  }

  @Option(
      names = {"-f", "--filename"},
      required = true,
      description = "Manifest file with one or more SageMakerScalingPolicy documents.")
  Path file;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "json",
      description = "json (AWS API request shapes) or text (what each policy does).")
  Output output;

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

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<SageMakerScalingPolicy> resources = new ArrayList<>();
    String content = Files.readString(file, StandardCharsets.UTF_8);
    for (String document : content.split("(?m)^---\\s*$")) {
      if (document.isBlank()) {
        continue;
      }
      GenericKubernetesResource generic =
          Serialization.unmarshal(document, GenericKubernetesResource.class);
      if (generic == null || !"SageMakerScalingPolicy".equals(generic.getKind())) {
        continue;
      }
      resources.add(Serialization.unmarshal(document, SageMakerScalingPolicy.class));
    }
    if (resources.isEmpty()) {
      err.println(file + ": no SageMakerScalingPolicy document found");
      err.flush();
      return 2;
    }
    List<RequestRenderer.RenderedRequest> requests = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    boolean invalid = false;
    for (SageMakerScalingPolicy resource : resources) {
      String namespace =
          resource.getMetadata().getNamespace() == null
              ? "default"
              : resource.getMetadata().getNamespace();
      Owner owner = new Owner(clusterName, namespace, resource.getMetadata().getName());
      Plan plan = Planner.plan(resource.getSpec(), owner, Optional.ofNullable(instanceType));
      if (plan instanceof Plan.Invalid bad) {
        invalid = true;
        for (SpecProblem problem : bad.problems()) {
          err.println(namespace + "/" + resource.getMetadata().getName() + ": " + problem);
        }
        continue;
      }
      Plan.Valid valid = (Plan.Valid) plan;
      DesiredState desired = valid.desired();
      List<Change> changes = Differ.converge(desired, ObservedState.empty(), owner);
      changes.forEach(
          c -> requests.add(RequestRenderer.render(c, policy -> "${PolicyARN:" + policy + "}")));
      text.append(PlanExplainer.explain(namespace + "/" + resource.getMetadata().getName(), valid));
    }
    if (invalid) {
      err.flush();
      return 1;
    }
    if (output == Output.text) {
      out.print(text);
    } else {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      out.println(mapper.writeValueAsString(requests));
    }
    out.flush();
    return 0;
  }
}
