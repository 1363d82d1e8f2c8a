package dev.sagemaker.autoscaling.plan;

import dev.sagemaker.autoscaling.api.v1alpha1.CapacityUnit;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingTarget;

/** The three SageMaker scalable dimensions, and how each names its target and its metrics. */
public enum TargetKind {
  VARIANT_INSTANCES(TargetKey.VARIANT_INSTANCES),
  VARIANT_PROVISIONED_CONCURRENCY(TargetKey.VARIANT_PROVISIONED_CONCURRENCY),
  INFERENCE_COMPONENT(TargetKey.COMPONENT_COPIES);

  private final String scalableDimension;

  TargetKind(String scalableDimension) {
    this.scalableDimension = scalableDimension;
  }

  public static TargetKind of(ScalingTarget target) {
    CapacityUnit unit = target.effectiveCapacityUnit();
    return switch (unit) {
      case Instances -> VARIANT_INSTANCES;
      case ProvisionedConcurrency -> VARIANT_PROVISIONED_CONCURRENCY;
      case Copies -> INFERENCE_COMPONENT;
    };
  }

  public TargetKey key(ScalingTarget target) {
    return this == INFERENCE_COMPONENT
        ? TargetKey.inferenceComponent(target.getInferenceComponentName())
        : TargetKey.variant(
            target.getEndpointName(), target.effectiveVariantName(), scalableDimension);
  }

  public String describe() {
    return switch (this) {
      case VARIANT_INSTANCES -> "an endpoint variant's instance count";
      case VARIANT_PROVISIONED_CONCURRENCY -> "a serverless variant's provisioned concurrency";
      case INFERENCE_COMPONENT -> "an inference component's copy count";
    };
  }
}
