package dev.sagemaker.autoscaling.api.v1alpha1;

/**
 * The metrics a policy can follow. The planner maps each to an Application Auto Scaling predefined
 * metric or to a CloudWatch metric with the dimensions SageMaker publishes it under.
 */
public enum MetricKind {
  InvocationsPerInstance,
  ConcurrentRequestsPerModel,
  InvocationsPerCopy,
  ConcurrentRequestsPerCopy,
  ProvisionedConcurrencyUtilization,
  CPUUtilization,
  CPUUtilizationPerCore,
  MemoryUtilization,
  GPUUtilization,
  GPUUtilizationPerGPU,
  GPUMemoryUtilization,
  DiskUtilization,
  BacklogSizePerInstance,
  Custom
}
