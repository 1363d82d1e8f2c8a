package dev.sagemaker.autoscaling.api.v1alpha1;

public enum Statistic {
  Average,
  Minimum,
  Maximum,
  SampleCount,
  Sum
}
