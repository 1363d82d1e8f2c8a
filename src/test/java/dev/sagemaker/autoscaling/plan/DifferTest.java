package dev.sagemaker.autoscaling.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduleSpec;
import dev.sagemaker.autoscaling.plan.Change.DeleteAlarms;
import dev.sagemaker.autoscaling.plan.Change.DeletePolicy;
import dev.sagemaker.autoscaling.plan.Change.DeleteScheduledAction;
import dev.sagemaker.autoscaling.plan.Change.DeregisterTarget;
import dev.sagemaker.autoscaling.plan.Change.PutAlarm;
import dev.sagemaker.autoscaling.plan.Change.PutPolicy;
import dev.sagemaker.autoscaling.plan.Change.PutScheduledAction;
import dev.sagemaker.autoscaling.plan.Change.RegisterTarget;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedTarget;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepAdjustment;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepScaling;
import dev.sagemaker.autoscaling.plan.PolicyConfig.TargetTracking;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The writes that bring AWS to the plan, and only to objects this resource owns. */
class DifferTest {
  private static final Owner OWNER = new Owner("test", "ml", "recommender");
  private static final String P = OWNER.prefix();

  private static DesiredState desired() throws Exception {
    SageMakerScalingPolicySpec spec = PlannerTest.seedSpec();
    ScheduleSpec night = new ScheduleSpec();
    night.setName("night");
    night.setSchedule("cron(0 20 * * ? *)");
    night.setMaxCapacity(1);
    spec.setSchedules(List.of(night));
    return Planner.plan(spec, OWNER, Optional.empty()).desiredOrThrow();
  }

  private static String arn(String policyName) {
    return "arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:0b1f:resource/sagemaker/"
        + "endpoint/recommender-prod/variant/prod:policyName/"
        + policyName;
  }

  /** What AWS holds once everything desired has been written, plus any extra objects. */
  private static ObservedState observed(DesiredState desired, Object... extra) {
    List<ObservedPolicy> policies =
        new ArrayList<>(
            desired.policies().stream().map(p -> new ObservedPolicy(p, arn(p.name()))).toList());
    List<ObservedAlarm> alarms =
        new ArrayList<>(
            desired.alarms().stream()
                .map(a -> new ObservedAlarm(a, List.of(arn(a.policyName()))))
                .toList());
    List<ScheduledAction> schedules = new ArrayList<>(desired.scheduledActions());
    for (Object object : extra) {
      if (object instanceof ObservedPolicy p) {
        policies.add(p);
      } else if (object instanceof ObservedAlarm a) {
        alarms.add(a);
      } else if (object instanceof ScheduledAction s) {
        schedules.add(s);
      } else {
        throw new IllegalArgumentException(String.valueOf(object));
      }
    }
    return new ObservedState(
        Optional.of(
            new ObservedTarget(desired.target(), "arn:aws:application-autoscaling:target/1")),
        policies,
        alarms,
        schedules);
  }

  private static ObservedPolicy policyNamed(String name) {
    return new ObservedPolicy(
        new ScalingPolicy(
            name,
            new StepScaling(
                "ChangeInCapacity",
                List.of(new StepAdjustment(0.0, null, 1)),
                null,
                60,
                "Average")),
        arn(name));
  }

  private static ObservedAlarm alarmNamed(String name) {
    return new ObservedAlarm(
        new Alarm(
            name,
            name,
            "",
            new MetricSource.Predefined("x"),
            1,
            "GreaterThanOrEqualToThreshold",
            60,
            1,
            1,
            "missing"),
        List.of(arn(name)));
  }

  private static ScheduledAction scheduleNamed(String name) {
    return new ScheduledAction(name, "rate(1 hour)", null, null, null, 1, 2);
  }

  private static DesiredState replacePolicy(DesiredState desired, ScalingPolicy replacement) {
    return new DesiredState(
        desired.target(),
        desired.policies().stream()
            .map(p -> p.name().equals(replacement.name()) ? replacement : p)
            .toList(),
        desired.alarms(),
        desired.scheduledActions(),
        desired.tags());
  }

  // ---------------------------------------------------------------- converge

  @Test
  void fromNothingRegistersTheTargetThenPutsPoliciesThenTheirAlarmsThenSchedules()
      throws Exception {
    DesiredState desired = desired();
    TargetKey key = desired.target().key();

    List<Change> changes = Differ.converge(desired, ObservedState.empty(), OWNER);

    List<Change> expected = new ArrayList<>();
    expected.add(new RegisterTarget(desired.target(), desired.tags(), true));
    desired.policies().forEach(p -> expected.add(new PutPolicy(key, p)));
    desired.alarms().forEach(a -> expected.add(new PutAlarm(a, desired.tags())));
    desired.scheduledActions().forEach(s -> expected.add(new PutScheduledAction(key, s)));
    assertThat(changes).containsExactlyElementsOf(expected);
    assertThat(changes).hasSize(1 + 5 + 2 + 1);
  }

  @Test
  void everyAlarmIsPutAfterThePolicyItInvokes() throws Exception {
    List<Change> changes = Differ.converge(desired(), ObservedState.empty(), OWNER);

    for (int i = 0; i < changes.size(); i++) {
      if (changes.get(i) instanceof PutAlarm put) {
        List<String> putBefore =
            changes.subList(0, i).stream()
                .filter(PutPolicy.class::isInstance)
                .map(c -> ((PutPolicy) c).policy().name())
                .toList();
        assertThat(putBefore)
            .as("policies put before alarm %s", put.alarm().name())
            .contains(put.alarm().policyName());
      }
    }
  }

  @Test
  void whenAwsAlreadyMatchesNothingIsWritten() throws Exception {
    DesiredState desired = desired();

    assertThat(Differ.converge(desired, observed(desired), OWNER)).isEmpty();
  }

  @Test
  void aChangedTargetValueRewritesOnlyThatPolicy() throws Exception {
    DesiredState desired = desired();
    ScalingPolicy cpu =
        desired.policies().stream()
            .filter(p -> p.name().equals(P + "cpu"))
            .findFirst()
            .orElseThrow();
    TargetTracking old = (TargetTracking) cpu.config();
    ScalingPolicy changed =
        new ScalingPolicy(
            cpu.name(),
            new TargetTracking(
                75,
                old.metric(),
                old.scaleOutCooldown(),
                old.scaleInCooldown(),
                old.disableScaleIn()));

    List<Change> changes =
        Differ.converge(replacePolicy(desired, changed), observed(desired), OWNER);

    assertThat(changes).containsExactly(new PutPolicy(desired.target().key(), changed));
  }

  @Test
  void aChangedStepPolicyIsPutWithItsOwnAlarmOnly() throws Exception {
    DesiredState desired = desired();
    ScalingPolicy upper =
        desired.policies().stream()
            .filter(p -> p.name().equals(P + "cpu-steps_upper"))
            .findFirst()
            .orElseThrow();
    StepScaling old = (StepScaling) upper.config();
    ScalingPolicy changed =
        new ScalingPolicy(
            upper.name(),
            new StepScaling(
                old.adjustmentType(),
                List.of(new StepAdjustment(0.0, 30.0, 1), new StepAdjustment(30.0, null, 3)),
                null,
                old.cooldown(),
                old.metricAggregationType()));
    DesiredState next = replacePolicy(desired, changed);

    List<Change> changes = Differ.converge(next, observed(desired), OWNER);

    Alarm upperAlarm =
        desired.alarms().stream()
            .filter(a -> a.policyName().equals(upper.name()))
            .findFirst()
            .orElseThrow();
    assertThat(changes)
        .containsExactly(
            new PutPolicy(desired.target().key(), changed),
            new PutAlarm(upperAlarm, desired.tags()));
  }

  @Test
  void changedBoundsReRegisterTheExistingTarget() throws Exception {
    DesiredState desired = desired();
    ScalableTarget wider = new ScalableTarget(desired.target().key(), 1, 5, Suspension.NONE);
    DesiredState next =
        new DesiredState(
            wider,
            desired.policies(),
            desired.alarms(),
            desired.scheduledActions(),
            desired.tags());

    assertThat(Differ.converge(next, observed(desired), OWNER))
        .containsExactly(new RegisterTarget(wider, desired.tags(), false));
  }

  @Test
  void ownedObjectsNoLongerDesiredAreDeletedAlarmsBeforePolicies() throws Exception {
    DesiredState desired = desired();
    TargetKey key = desired.target().key();
    ObservedState observed =
        observed(
            desired,
            policyNamed(P + "old_upper"),
            alarmNamed(P + "old_upper"),
            scheduleNamed(P + "weekend"));

    List<Change> changes = Differ.converge(desired, observed, OWNER);

    assertThat(changes)
        .containsExactly(
            new DeleteAlarms(List.of(P + "old_upper")),
            new DeletePolicy(key, P + "old_upper"),
            new DeleteScheduledAction(key, P + "weekend"));
  }

  @Test
  void objectsWithoutTheOwnersPrefixAreNeverTouchedAndAreReportedAsForeign() throws Exception {
    DesiredState desired = desired();
    ObservedState observed =
        observed(
            desired,
            policyNamed("team-x-scale-out"),
            policyNamed("smsp_test_ml_recommender-2_cpu"),
            policyNamed("smsp_test_ml_recommende_cpu"),
            alarmNamed("team-x-scale-out"),
            scheduleNamed("nightly-batch"),
            scheduleNamed("smsp_other_ml_recommender_night"));

    assertThat(Differ.converge(desired, observed, OWNER)).isEmpty();
    assertThat(Differ.teardown(desired.target().key(), observed, OWNER, true))
        .noneMatch(
            c -> c instanceof DeleteAlarms d && d.names().stream().anyMatch(n -> !n.startsWith(P)))
        .noneMatch(c -> c instanceof DeletePolicy d && !d.name().startsWith(P))
        .noneMatch(c -> c instanceof DeleteScheduledAction d && !d.name().startsWith(P));
    assertThat(Differ.foreignObjects(observed, OWNER))
        .containsExactly(
            "nightly-batch",
            "smsp_other_ml_recommender_night",
            "smsp_test_ml_recommende_cpu",
            "smsp_test_ml_recommender-2_cpu",
            "team-x-scale-out");
  }

  @Test
  void anAlarmPointingAtAnotherArnIsPutAgain() throws Exception {
    DesiredState desired = desired();
    Alarm lower = desired.alarms().get(0);
    ObservedState base = observed(desired);
    List<ObservedAlarm> alarms =
        base.alarms().stream()
            .map(
                a ->
                    a.alarm().equals(lower)
                        ? new ObservedAlarm(lower, List.of(arn("replaced-policy")))
                        : a)
            .toList();
    ObservedState observed =
        new ObservedState(base.target(), base.policies(), alarms, base.scheduledActions());

    assertThat(Differ.converge(desired, observed, OWNER))
        .containsExactly(new PutAlarm(lower, desired.tags()));
  }

  @Test
  void anAlarmWithNoActionOrAChangedThresholdIsPutAgain() throws Exception {
    DesiredState desired = desired();
    Alarm lower = desired.alarms().get(0);
    Alarm drifted =
        new Alarm(
            lower.name(),
            lower.policyName(),
            lower.description(),
            lower.metric(),
            35,
            lower.comparisonOperator(),
            lower.periodSeconds(),
            lower.evaluationPeriods(),
            lower.datapointsToAlarm(),
            lower.treatMissingData());
    ObservedState base = observed(desired);
    for (ObservedAlarm replacement :
        List.of(
            new ObservedAlarm(lower, List.of()),
            new ObservedAlarm(drifted, List.of(arn(lower.policyName()))))) {
      List<ObservedAlarm> alarms =
          base.alarms().stream().map(a -> a.alarm().equals(lower) ? replacement : a).toList();
      ObservedState observed =
          new ObservedState(base.target(), base.policies(), alarms, base.scheduledActions());

      assertThat(Differ.converge(desired, observed, OWNER))
          .containsExactly(new PutAlarm(lower, desired.tags()));
    }
  }

  @Test
  void anUnsetTimeZoneAndUtcAreTheSameSchedule() throws Exception {
    DesiredState desired = desired();
    ScheduledAction night = desired.scheduledActions().get(0);
    assertThat(night.timezone()).isNull();

    for (String zone : new String[] {"UTC", "Etc/UTC"}) {
      ScheduledAction reported =
          new ScheduledAction(
              night.name(), night.schedule(), zone, null, null, null, night.maxCapacity());
      ObservedState base = observed(desired);
      ObservedState observed =
          new ObservedState(base.target(), base.policies(), base.alarms(), List.of(reported));

      assertThat(Differ.converge(desired, observed, OWNER))
          .as("observed time zone %s", zone)
          .isEmpty();
    }
  }

  @Test
  void aDifferentTimeZoneRewritesTheSchedule() throws Exception {
    DesiredState desired = desired();
    ScheduledAction night = desired.scheduledActions().get(0);
    ScheduledAction berlin =
        new ScheduledAction(
            night.name(), night.schedule(), "Europe/Berlin", null, null, null, night.maxCapacity());
    ObservedState base = observed(desired);
    ObservedState observed =
        new ObservedState(base.target(), base.policies(), base.alarms(), List.of(berlin));

    assertThat(Differ.converge(desired, observed, OWNER))
        .containsExactly(new PutScheduledAction(desired.target().key(), night));
  }

  @Test
  void staleAlarmsAreDeletedInBatchesOfAtMostOneHundred() throws Exception {
    DesiredState desired = desired();
    Object[] stale =
        IntStream.range(0, 250).mapToObj(i -> alarmNamed(P + "old-" + i + "_upper")).toArray();

    List<Change> changes = Differ.converge(desired, observed(desired, stale), OWNER);

    assertThat(changes).allMatch(DeleteAlarms.class::isInstance);
    List<DeleteAlarms> batches = changes.stream().map(DeleteAlarms.class::cast).toList();
    assertThat(batches).extracting(b -> b.names().size()).containsExactly(100, 100, 50);
    assertThat(batches.stream().flatMap(b -> b.names().stream()))
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(stale).map(a -> ((ObservedAlarm) a).alarm().name()).toList());
  }

  // ---------------------------------------------------------------- teardown

  @Test
  void teardownDeletesOnlyOwnedObjectsAndKeepsATargetOthersStillUse() throws Exception {
    DesiredState desired = desired();
    TargetKey key = desired.target().key();
    ObservedState observed =
        observed(desired, policyNamed("team-x-scale-out"), scheduleNamed("nightly-batch"));

    List<Change> changes = Differ.teardown(key, observed, OWNER, true);

    List<Change> expected = new ArrayList<>();
    expected.add(new DeleteAlarms(List.of(P + "cpu-steps_lower", P + "cpu-steps_upper")));
    desired.policies().stream()
        .map(ScalingPolicy::name)
        .sorted()
        .forEach(n -> expected.add(new DeletePolicy(key, n)));
    expected.add(new DeleteScheduledAction(key, P + "night"));
    assertThat(changes).containsExactlyElementsOf(expected);
  }

  @Test
  void teardownDeregistersTheTargetLastWhenItIsOursAndNothingForeignRemains() throws Exception {
    DesiredState desired = desired();
    TargetKey key = desired.target().key();

    List<Change> changes = Differ.teardown(key, observed(desired), OWNER, true);

    assertThat(changes).last().isEqualTo(new DeregisterTarget(key));
    assertThat(changes).filteredOn(DeregisterTarget.class::isInstance).hasSize(1);
    assertThat(changes.get(0)).isInstanceOf(DeleteAlarms.class);
  }

  @Test
  void teardownNeverDeregistersATargetSomeoneElseRegistered() throws Exception {
    DesiredState desired = desired();

    assertThat(Differ.teardown(desired.target().key(), observed(desired), OWNER, false))
        .noneMatch(DeregisterTarget.class::isInstance)
        .isNotEmpty();
  }

  @Test
  void teardownOfNothingIsNothing() {
    TargetKey key = TargetKey.variant("recommender-prod", "prod", TargetKey.VARIANT_INSTANCES);

    assertThat(Differ.teardown(key, ObservedState.empty(), OWNER, true)).isEmpty();
  }

  @Test
  void teardownBatchesAlarmDeletionsToo() throws Exception {
    DesiredState desired = desired();
    Object[] stale =
        IntStream.range(0, 101).mapToObj(i -> alarmNamed(P + "old-" + i + "_lower")).toArray();

    List<Change> changes =
        Differ.teardown(desired.target().key(), observed(desired, stale), OWNER, true);

    assertThat(changes)
        .filteredOn(DeleteAlarms.class::isInstance)
        .extracting(c -> ((DeleteAlarms) c).names().size())
        .containsExactly(100, 3);
  }
}
