package dev.sagemaker.autoscaling.plan;

import java.time.Instant;
import java.util.List;

/**
 * One Application Auto Scaling activity on a target, as AWS reports it. A not-scaled activity (AWS
 * records one when a policy wanted to scale and could not, or need not) has its reasons; a scaled
 * one has none.
 */
public record ScalingActivity(
    String activityId,
    Instant startTime,
    String statusCode,
    String description,
    String cause,
    List<NotScaledReason> notScaledReasons) {

  public ScalingActivity {
    notScaledReasons = notScaledReasons == null ? List.of() : List.copyOf(notScaledReasons);
  }

  public ScalingActivity(Instant startTime, String statusCode, String description, String cause) {
    this(null, startTime, statusCode, description, cause, List.of());
  }

  public boolean notScaled() {
    return !notScaledReasons.isEmpty();
  }

  /**
   * Why AWS did not scale: a code such as {@code AlreadyAtMaxCapacity}, with the capacities it
   * names (null where AWS left them out).
   */
  public record NotScaledReason(
      String code, Integer minCapacity, Integer maxCapacity, Integer currentCapacity) {
    public static final String AT_MAX = "AlreadyAtMaxCapacity";
    public static final String AT_MIN = "AlreadyAtMinCapacity";
  }
}
