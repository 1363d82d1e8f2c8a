package dev.sagemaker.autoscaling.api.v1alpha1;

/** The seed article's three invocation patterns; each has its own defaults and rules. */
public enum ModelType {
  RealTime,
  Async,
  Batch
}
