package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a resource's AWS calls go: a region and the identity to use there (a role to assume, or the
 * operator's own when null). Resources of one scope share clients and the inventory's batched
 * reads.
 */
record AwsScope(String region, String roleArn) {

  AwsScope {
    Objects.requireNonNull(region, "region");
  }

  /**
   * The spec's region, else the operator's; empty when neither has one, which the resource reports
   * as NoRegion instead of guessing.
   */
  static Optional<AwsScope> of(SageMakerScalingPolicySpec spec, Optional<String> defaultRegion) {
    Optional<String> region =
        spec.getAws() != null && spec.getAws().getRegion() != null
            ? Optional.of(spec.getAws().getRegion())
            : defaultRegion;
    return region.map(r -> new AwsScope(r, roleArnOf(spec)));
  }

  /**
   * Where the last pass wrote, if the status records it, else where the spec points: what a
   * deletion cleans.
   */
  static Optional<AwsScope> ofRecorded(
      SageMakerScalingPolicyStatus status,
      SageMakerScalingPolicySpec spec,
      Optional<String> defaultRegion) {
    return status != null && status.getRegion() != null
        ? Optional.of(new AwsScope(status.getRegion(), roleArnOf(spec)))
        : of(spec, defaultRegion);
  }

  private static String roleArnOf(SageMakerScalingPolicySpec spec) {
    return spec.getAws() == null ? null : spec.getAws().getRoleArn();
  }

  /** The inventory's name for the scope. */
  String id() {
    return region + "|" + Objects.toString(roleArn, "");
  }
}
