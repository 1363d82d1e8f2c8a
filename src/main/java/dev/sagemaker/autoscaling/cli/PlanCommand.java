package dev.sagemaker.autoscaling.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.RequestRenderer;
import dev.sagemaker.autoscaling.plan.Change;
import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.Differ;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.Plan;
import dev.sagemaker.autoscaling.plan.SpecProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin ManifestPlanning planning;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<SageMakerScalingPolicy> resources = ManifestPlanning.read(file);
    if (resources.isEmpty()) {
      err.println(file + ": no SageMakerScalingPolicy document found");
      err.flush();
      return 2;
    }
    List<RequestRenderer.RenderedRequest> requests = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    boolean invalid = false;
    for (SageMakerScalingPolicy resource : resources) {
      ManifestPlanning.Planned planned = planning.plan(resource);
      if (planned.plan() instanceof Plan.Invalid bad) {
        invalid = true;
        for (SpecProblem problem : bad.problems()) {
          err.println(planned.name() + ": " + problem);
        }
        continue;
      }
      Plan.Valid valid = (Plan.Valid) planned.plan();
      DesiredState desired = valid.desired();
      List<Change> changes = Differ.converge(desired, ObservedState.empty(), planned.owner());
      changes.forEach(
          c -> requests.add(RequestRenderer.render(c, policy -> "${PolicyARN:" + policy + "}")));
      text.append(PlanExplainer.explain(planned.name(), valid));
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
