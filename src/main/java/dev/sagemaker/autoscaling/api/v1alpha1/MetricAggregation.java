package dev.sagemaker.autoscaling.api.v1alpha1;

public enum MetricAggregation {
  Average,
  Minimum,
  Maximum
}
