package dev.sagemaker.autoscaling.api.v1alpha1;

public enum TreatMissingData {
  missing,
  notBreaching,
  breaching,
  ignore
}
