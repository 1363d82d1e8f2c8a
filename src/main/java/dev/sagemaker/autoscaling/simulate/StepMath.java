package dev.sagemaker.autoscaling.simulate;

import dev.sagemaker.autoscaling.plan.PolicyConfig.StepAdjustment;
import java.util.List;

/**
 * Step adjustments as the Application Auto Scaling API reference defines them (StepAdjustment,
 * StepScalingPolicyConfiguration): bounds are offsets from the alarm threshold; above the threshold
 * the lower bound is inclusive and the upper exclusive, below it the lower bound is exclusive and
 * the upper inclusive; a missing bound is infinite.
 */
public final class StepMath {
  private StepMath() {}

  /** The adjustment whose interval holds {@code offset} (metric minus threshold), or null. */
  public static StepAdjustment find(
      List<StepAdjustment> adjustments, double offset, boolean aboveThreshold) {
    for (StepAdjustment a : adjustments) {
      double lower = a.lowerBound() == null ? Double.NEGATIVE_INFINITY : a.lowerBound();
      double upper = a.upperBound() == null ? Double.POSITIVE_INFINITY : a.upperBound();
      boolean inside =
          aboveThreshold ? offset >= lower && offset < upper : offset > lower && offset <= upper;
      if (inside) {
        return a;
      }
    }
    return null;
  }

  /**
   * New capacity from an adjustment. PercentChangeInCapacity rounds as AWS documents: results
   * between 0 and 1 become 1, between -1 and 0 become -1, others are rounded toward zero; the
   * MinAdjustmentMagnitude then sets a floor on the size of the change.
   */
  public static int apply(
      String adjustmentType, int current, int adjustment, Integer minAdjustmentMagnitude) {
    return switch (adjustmentType) {
      case "ExactCapacity" -> adjustment;
      case "PercentChangeInCapacity" -> {
        double raw = current * adjustment / 100.0;
        int change;
        if (raw > 0 && raw < 1) {
          change = 1;
        } else if (raw < 0 && raw > -1) {
          change = -1;
        } else {
          change = (int) raw;
        }
        if (minAdjustmentMagnitude != null
            && change != 0
            && Math.abs(change) < minAdjustmentMagnitude) {
          change = Integer.signum(change) * minAdjustmentMagnitude;
        }
        yield current + change;
      }
      default -> current + adjustment;
    };
  }

  static String describe(String adjustmentType, int adjustment) {
    return switch (adjustmentType) {
      case "ExactCapacity" -> "set " + adjustment;
      case "PercentChangeInCapacity" -> (adjustment >= 0 ? "+" : "") + adjustment + "%";
      default -> (adjustment >= 0 ? "+" : "") + adjustment;
    };
  }
}
