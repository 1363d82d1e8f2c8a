package dev.sagemaker.autoscaling.reconcile;

/**
 * Every reason the operator writes into a condition or an Event, and which condition it belongs to.
 * The names are the API: users, alerts and GitOps health checks match on them, so a name never
 * changes; the README's "Status and conditions" table lists each one (a test checks it).
 */
public enum Reason {
  Converged(Condition.READY),
  Paused(Condition.READY),
  EndpointNotFound(Condition.RECONCILING),
  VariantNotFound(Condition.RECONCILING),
  EndpointNotInService(Condition.RECONCILING),
  AwsRetrying(Condition.RECONCILING),
  InternalError(Condition.RECONCILING),
  InvalidSpec(Condition.STALLED),
  Conflict(Condition.STALLED),
  AwsRejected(Condition.STALLED),
  NoRegion(Condition.STALLED),
  Forbidden(Condition.STALLED),
  CleanupFailed(Condition.STALLED),
  Applied(Condition.EVENT_ONLY),
  DriftCorrected(Condition.EVENT_ONLY),
  Deregistered(Condition.EVENT_ONLY),
  InvalidAnnotation(Condition.EVENT_ONLY),
  Unreadable(Condition.EVENT_ONLY),
  Rescaled(Condition.EVENT_ONLY),
  RescaleFailed(Condition.EVENT_ONLY),
  HeldAtMaxCapacity(Condition.EVENT_ONLY),
  AlarmWithoutData(Condition.EVENT_ONLY);

  /**
   * The condition that is True with this reason; {@code EVENT_ONLY} reasons appear only in Events.
   */
  public enum Condition {
    READY("Ready"),
    RECONCILING("Reconciling"),
    STALLED("Stalled"),
    EVENT_ONLY("");

    private final String type;

    Condition(String type) {
      this.type = type;
    }

    /**
     * The condition type as written in status ({@code Ready}, {@code Reconciling}, {@code
     * Stalled}).
     */
    public String type() {
      return type;
    }
  }

  private final Condition condition;

  Reason(Condition condition) {
    this.condition = condition;
  }

  public Condition condition() {
    return condition;
  }
}
