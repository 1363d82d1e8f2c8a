package dev.sagemaker.autoscaling.plan;

/** Identifies one Application Auto Scaling scalable target in the sagemaker namespace. */
public record TargetKey(String resourceId, String scalableDimension) {
  public static final String VARIANT_INSTANCES = "sagemaker:variant:DesiredInstanceCount";
  public static final String VARIANT_PROVISIONED_CONCURRENCY =
      "sagemaker:variant:DesiredProvisionedConcurrency";
  public static final String COMPONENT_COPIES = "sagemaker:inference-component:DesiredCopyCount";

  public static TargetKey variant(String endpoint, String variant, String dimension) {
    return new TargetKey("endpoint/" + endpoint + "/variant/" + variant, dimension);
  }

  public static TargetKey inferenceComponent(String component) {
    return new TargetKey("inference-component/" + component, COMPONENT_COPIES);
  }
}
