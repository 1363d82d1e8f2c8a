package dev.sagemaker.autoscaling.plan;

import java.util.List;

/** The configuration of one scaling policy, in Application Auto Scaling terms. */
public sealed interface PolicyConfig {

  String policyType();

  /** Cooldowns are null when the request leaves them out, so AWS applies its default (300 s). */
  record TargetTracking(
      double targetValue,
      MetricSource metric,
      Integer scaleOutCooldown,
      Integer scaleInCooldown,
      boolean disableScaleIn)
      implements PolicyConfig {
    @Override
    public String policyType() {
      return "TargetTrackingScaling";
    }
  }

  /** The cooldown is null when the request leaves it out, so AWS applies its default (300 s). */
  record StepScaling(
      String adjustmentType,
      List<StepAdjustment> adjustments,
      Integer minAdjustmentMagnitude,
      Integer cooldown,
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
