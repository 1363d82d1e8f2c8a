package dev.sagemaker.autoscaling.api.v1alpha1;

/** What the capacity numbers count; selects the Application Auto Scaling scalable dimension. */
public enum CapacityUnit {
  /** Instances of an endpoint variant: sagemaker:variant:DesiredInstanceCount. */
  Instances,
  /**
   * Provisioned concurrency of a serverless variant:
   * sagemaker:variant:DesiredProvisionedConcurrency.
   */
  ProvisionedConcurrency,
  /** Copies of an inference component: sagemaker:inference-component:DesiredCopyCount. */
  Copies
}
