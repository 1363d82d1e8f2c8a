package dev.sagemaker.autoscaling.plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Bounds on the registered target that a scheduled action of the spec put there. Application Auto
 * Scaling sets the target's MinCapacity and MaxCapacity when a scheduled action runs; an action
 * that sets only one of them leaves the other as it was. Re-registering the spec's bounds on the
 * next resync would close every schedule window, so bounds a schedule explains are left in force.
 *
 * @param setBy name of the scheduled action whose bounds these are
 */
public record ScheduledBounds(int minCapacity, int maxCapacity, String setBy) {

  /**
   * The scheduled action that explains the observed bounds, or empty when they equal the spec's (no
   * schedule needed) or no action of the spec could have set them (drift to restore). A bound an
   * action leaves unset is explained when it equals the spec's bound or what another action sets,
   * because it stays as the previous action or registration left it. With several candidates the
   * first in spec order is named: AWS does not report which action ran last, and every candidate
   * sets these bounds.
   */
  public static Optional<ScheduledBounds> explain(
      int specMin, int specMax, List<ScheduledAction> actions, int observedMin, int observedMax) {
    if (specMin == observedMin && specMax == observedMax) {
      return Optional.empty();
    }
    for (ScheduledAction action : actions) {
      if (action.minCapacity() == null && action.maxCapacity() == null) {
        continue;
      }
      boolean min =
          action.minCapacity() != null
              ? action.minCapacity() == observedMin
              : observedMin == specMin
                  || actions.stream().anyMatch(a -> Objects.equals(a.minCapacity(), observedMin));
      boolean max =
          action.maxCapacity() != null
              ? action.maxCapacity() == observedMax
              : observedMax == specMax
                  || actions.stream().anyMatch(a -> Objects.equals(a.maxCapacity(), observedMax));
      if (min && max) {
        return Optional.of(new ScheduledBounds(observedMin, observedMax, action.name()));
      }
    }
    return Optional.empty();
  }

  /**
   * What a resync should keep registered: the desired target, but with the observed bounds when a
   * schedule of the spec explains them.
   */
  public static Optional<ScheduledBounds> inForce(DesiredState desired, ScalableTarget observed) {
    ScalableTarget want = desired.target();
    return explain(
        want.minCapacity(),
        want.maxCapacity(),
        desired.scheduledActions(),
        observed.minCapacity(),
        observed.maxCapacity());
  }
}
