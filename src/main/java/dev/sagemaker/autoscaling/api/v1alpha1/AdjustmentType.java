package dev.sagemaker.autoscaling.api.v1alpha1;

public enum AdjustmentType {
  ChangeInCapacity,
  PercentChangeInCapacity,
  ExactCapacity
}
