package dev.sagemaker.autoscaling.plan;

/** One thing wrong with a spec, with the path of the field it is about. */
public record SpecProblem(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
