package dev.sagemaker.autoscaling.plan;

import java.util.List;
import java.util.stream.Collectors;

/** The spec breaks rules AWS would enforce; nothing can be applied until it changes. */
public class InvalidSpecException extends Exception {
  private final List<SpecProblem> problems;

  public InvalidSpecException(List<SpecProblem> problems) {
    super(problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<SpecProblem> problems() {
    return problems;
  }
}
