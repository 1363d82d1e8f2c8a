package dev.sagemaker.autoscaling.api.v1alpha1;

public enum DeletionPolicy {
  Delete,
  Retain
}
