package dev.sagemaker.autoscaling.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.plan.Change.RegisterTarget;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Bounds a scheduled action set are kept on resync; drift no schedule explains and spec changes are
 * written.
 */
class ScheduledBoundsTest {
  private static final Owner OWNER = new Owner("test", "ml", "batch");
  private static final TargetKey KEY =
      new TargetKey("endpoint/batch/variant/AllTraffic", "sagemaker:variant:DesiredInstanceCount");
  private static final ScheduledAction OPEN = action("open", 4, 8);
  private static final ScheduledAction CLOSE = action("close", 1, 2);
  private static final ScheduledAction MAX_ONLY = action("cap", null, 3);

  private static ScheduledAction action(String name, Integer min, Integer max) {
    return new ScheduledAction(name, "cron(0 1 * * ? *)", null, null, null, min, max);
  }

  private static DesiredState desired(
      int min, int max, Suspension suspension, ScheduledAction... actions) {
    return new DesiredState(
        new ScalableTarget(KEY, min, max, suspension),
        List.of(),
        List.of(),
        List.of(actions),
        Map.of());
  }

  private static ObservedState observedTarget(
      int min, int max, Suspension suspension, ScheduledAction... actions) {
    return new ObservedState(
        Optional.of(new ObservedTarget(new ScalableTarget(KEY, min, max, suspension), "arn")),
        List.of(),
        List.of(),
        List.of(actions));
  }

  @Test
  void boundsAnActionSetsAreExplainedByIt() {
    assertThat(ScheduledBounds.explain(1, 2, List.of(OPEN, CLOSE), 4, 8))
        .contains(new ScheduledBounds(4, 8, "open"));
  }

  @Test
  void specBoundsNeedNoExplanation() {
    assertThat(ScheduledBounds.explain(1, 2, List.of(OPEN, CLOSE), 1, 2)).isEmpty();
  }

  @Test
  void boundsNoActionSetsAreNotExplained() {
    assertThat(ScheduledBounds.explain(1, 2, List.of(OPEN, CLOSE), 4, 9)).isEmpty();
    assertThat(ScheduledBounds.explain(1, 2, List.of(OPEN, CLOSE), 3, 8)).isEmpty();
    assertThat(ScheduledBounds.explain(1, 2, List.of(), 4, 8)).isEmpty();
  }

  @Test
  void anActionSettingOnlyMaxLeavesMinAsTheSpecOrAnotherActionLeftIt() {
    assertThat(ScheduledBounds.explain(1, 5, List.of(MAX_ONLY), 1, 3))
        .contains(new ScheduledBounds(1, 3, "cap"));
    assertThat(ScheduledBounds.explain(1, 5, List.of(OPEN, MAX_ONLY), 4, 3))
        .contains(new ScheduledBounds(4, 3, "cap"));
    assertThat(ScheduledBounds.explain(1, 5, List.of(MAX_ONLY), 2, 3))
        .as("min 2 comes from nobody")
        .isEmpty();
  }

  @Test
  void anActionSettingNothingExplainsNothing() {
    assertThat(ScheduledBounds.explain(1, 2, List.of(action("empty", null, null)), 1, 3)).isEmpty();
  }

  @Test
  void resyncKeepsBoundsAScheduleSet() {
    DesiredState desired = desired(1, 2, Suspension.NONE, OPEN, CLOSE);

    assertThat(
            Differ.converge(
                desired, observedTarget(4, 8, Suspension.NONE, OPEN, CLOSE), OWNER, true))
        .isEmpty();
  }

  @Test
  void resyncRestoresBoundsNoScheduleExplains() {
    DesiredState desired = desired(1, 2, Suspension.NONE, OPEN, CLOSE);

    assertThat(
            Differ.converge(
                desired, observedTarget(4, 9, Suspension.NONE, OPEN, CLOSE), OWNER, true))
        .containsExactly(new RegisterTarget(desired.target(), desired.tags(), false));
  }

  @Test
  void resyncFixesSuspensionButKeepsTheScheduledBounds() {
    Suspension suspended = new Suspension(true, false, false);
    DesiredState desired = desired(1, 2, suspended, OPEN, CLOSE);

    assertThat(
            Differ.converge(
                desired, observedTarget(4, 8, Suspension.NONE, OPEN, CLOSE), OWNER, true))
        .containsExactly(
            new RegisterTarget(new ScalableTarget(KEY, 4, 8, suspended), desired.tags(), false));
  }

  @Test
  void aSpecChangeAppliesItsBoundsEvenInsideAWindow() {
    DesiredState desired = desired(2, 3, Suspension.NONE, OPEN, CLOSE);

    assertThat(
            Differ.converge(
                desired, observedTarget(4, 8, Suspension.NONE, OPEN, CLOSE), OWNER, false))
        .containsExactly(new RegisterTarget(desired.target(), desired.tags(), false));
  }
}
