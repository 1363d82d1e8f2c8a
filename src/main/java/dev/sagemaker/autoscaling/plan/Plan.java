package dev.sagemaker.autoscaling.plan;

import java.util.List;
import java.util.stream.Collectors;

/** What {@link Planner#plan} makes of a spec: the AWS objects it needs, or why there are none. */
public sealed interface Plan {

  /** The desired state, for callers to whom an invalid spec is a failure (tests, benchmarks). */
  default DesiredState desiredOrThrow() throws InvalidSpecException {
    if (this instanceof Invalid invalid) {
      throw new InvalidSpecException(invalid.problems());
    }
    return ((Valid) this).desired();
  }

  /**
   * The spec is valid: what AWS must hold, and where each value the user did not write came from.
   */
  record Valid(DesiredState desired, List<EffectiveValue> effectiveValues) implements Plan {
    public Valid {
      effectiveValues = List.copyOf(effectiveValues);
    }
  }

  /** The spec breaks rules AWS would enforce; nothing can be applied until it changes. */
  record Invalid(List<SpecProblem> problems) implements Plan {
    public Invalid {
      problems = List.copyOf(problems);
    }

    /** The problems in one line, for a condition message or a log. */
    public String message() {
      return problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
    }
  }
}
