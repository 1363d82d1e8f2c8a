package dev.sagemaker.autoscaling.plan;

import java.util.List;

/** The configuration of one scaling policy, in Application Auto Scaling terms. */
public sealed interface PolicyConfig {

  String policyType();

  record TargetTracking(
      double targetValue,
      MetricSource metric,
      int scaleOutCooldown,
      int scaleInCooldown,
      boolean disableScaleIn)
      implements PolicyConfig {
    @Override
    public String policyType() {
      return "TargetTrackingScaling";
    }
  }

  record StepScaling(
      String adjustmentType,
      List<StepAdjustment> adjustments,
      Integer minAdjustmentMagnitude,
      int cooldown,
      String metricAggregationType)
      implements PolicyConfig {
    public StepScaling {
      adjustments = List.copyOf(adjustments);
    }

    @Override
    public String policyType() {
      return "StepScaling";
    }
  }

  /** Bounds are offsets from the alarm threshold; null means unbounded. */
  record StepAdjustment(Double lowerBound, Double upperBound, int scalingAdjustment) {}
}
