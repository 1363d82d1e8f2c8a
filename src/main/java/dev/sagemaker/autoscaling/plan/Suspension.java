package dev.sagemaker.autoscaling.plan;

/** The scalable target's SuspendedState. */
public record Suspension(boolean scaleIn, boolean scaleOut, boolean scheduled) {
  public static final Suspension NONE = new Suspension(false, false, false);
}
