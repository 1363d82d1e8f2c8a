package dev.sagemaker.autoscaling.api.v1alpha1;

import java.util.List;

/**
 * The annotations a user sets on a {@link SageMakerScalingPolicy} to steer the operator. Only the
 * value {@code "true"} (any case) turns one on; anything else is off.
 */
public final class Annotations {
  /** Stops every AWS read and write for the resource. */
  public static final String PAUSED = SageMakerScalingPolicy.GROUP + "/paused";

  /** Takes over a scalable target that another tool registered. */
  public static final String ADOPT = SageMakerScalingPolicy.GROUP + "/adopt";

  /**
   * Removes everything from AWS and holds, so the endpoint's instance type can be changed (AWS
   * requires it).
   */
  public static final String DEREGISTER = SageMakerScalingPolicy.GROUP + "/deregister";

  /** Every annotation above: a change to any of them must start a pass. */
  public static final List<String> ALL = List.of(PAUSED, ADOPT, DEREGISTER);

  private Annotations() {}
}
