package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.reconcile.Fixtures.REGION;
import static dev.sagemaker.autoscaling.reconcile.Fixtures.SEED_TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduleSpec;
import dev.sagemaker.autoscaling.fake.FakeScalingApi;
import dev.sagemaker.autoscaling.fake.FakeScalingApi.Call;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.Suspension;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One pass against an in-memory AWS: waiting, ownership of an existing target, write order, minimal
 * writes.
 */
class ConvergerTest {
  private static final Owner OWNER = new Owner("test", "ml", "recommender", "uid-1");

  /** The same namespace and name in another cluster given the same cluster name. */
  private static final Owner TWIN = new Owner("test", "ml", "recommender", "uid-2");

  /** Another resource of this cluster for the same target. */
  private static final Owner OTHER = new Owner("test", "ml", "other", "uid-3");

  private static final Converger.OwnedSummary NOTHING_KNOWN =
      new Converger.OwnedSummary(false, true, true);
  private static final Converger.OwnedSummary OWNS_ALL =
      new Converger.OwnedSummary(true, true, true);

  private final SageMakerScalingPolicySpec spec = Fixtures.seed().getSpec();

  private Outcome converge(FakeScalingApi aws, Converger.OwnedSummary known, boolean adopt) {
    return converge(aws, OWNER, known, adopt);
  }

  private Outcome converge(
      FakeScalingApi aws, Owner owner, Converger.OwnedSummary known, boolean adopt) {
    return new Converger(aws).converge(spec, owner, REGION, known, adopt, Optional.empty());
  }

  private static void assertConflict(Outcome outcome, String... mentions) {
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Stalled.class,
            s -> {
              assertThat(s.reason()).isEqualTo(Reason.Conflict);
              assertThat(s.key()).as("the status does not name a target it does not hold").isNull();
              assertThat(s.message()).contains(mentions);
            });
  }

  @Test
  void waitsWithoutWritingWhileTheEndpointIsMissingOrNotInService() {
    FakeScalingApi missing = new FakeScalingApi(REGION);
    assertThat(converge(missing, NOTHING_KNOWN, false))
        .isInstanceOfSatisfying(
            Outcome.Waiting.class, w -> assertThat(w.reason()).isEqualTo(Reason.EndpointNotFound));

    FakeScalingApi otherVariant =
        new FakeScalingApi(REGION)
            .withEndpoint(Fixtures.ENDPOINT, "InService", "ml.m5.xlarge", "blue");
    assertThat(converge(otherVariant, NOTHING_KNOWN, false))
        .isInstanceOfSatisfying(
            Outcome.Waiting.class,
            w -> {
              assertThat(w.reason()).isEqualTo(Reason.VariantNotFound);
              assertThat(w.message()).contains("blue");
            });

    FakeScalingApi updating =
        new FakeScalingApi(REGION)
            .withEndpoint(Fixtures.ENDPOINT, "Updating", "ml.m5.xlarge", "prod");
    assertThat(converge(updating, NOTHING_KNOWN, false))
        .isInstanceOfSatisfying(
            Outcome.Waiting.class,
            w -> assertThat(w.reason()).isEqualTo(Reason.EndpointNotInService));

    assertThat(missing.writes()).isEmpty();
    assertThat(otherVariant.writes()).isEmpty();
    assertThat(updating.writes()).isEmpty();
  }

  @Test
  void thePassThatCreatesTheTargetReadsNoActivitiesUnlessCapacityIsMoving() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();

    Outcome created = converge(aws, NOTHING_KNOWN, false);

    assertThat(created)
        .isInstanceOfSatisfying(
            Outcome.Converged.class, c -> assertThat(c.activities()).as("not read").isEmpty());
    assertThat(aws.calls()).extracting(Call::operation).doesNotContain("DescribeScalingActivities");

    spec.getTargetTracking().get(0).setTargetValue(123.0);
    aws.clearCalls();
    assertThat(converge(aws, OWNS_ALL, false))
        .as("a later pass that writes reads them")
        .isInstanceOfSatisfying(
            Outcome.Converged.class, c -> assertThat(c.activities()).isPresent());

    FakeScalingApi scaling = Fixtures.awsWithSeedEndpoint();
    scaling.setEndpointCapacity(Fixtures.ENDPOINT, 1, 2);
    assertThat(converge(scaling, NOTHING_KNOWN, false))
        .as("capacity on the move: read, even on the creating pass")
        .isInstanceOfSatisfying(
            Outcome.Converged.class, c -> assertThat(c.activities()).isPresent());
  }

  @Test
  void firstPassRegistersTheTargetThenPutsPoliciesThenTheirAlarms() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();

    Outcome outcome = converge(aws, NOTHING_KNOWN, false);

    assertThat(outcome).isInstanceOf(Outcome.Converged.class);
    List<String> operations = aws.writes().stream().map(Call::operation).toList();
    assertThat(operations)
        .containsExactly(
            "RegisterScalableTarget",
            "PutScalingPolicy",
            "PutScalingPolicy",
            "PutScalingPolicy",
            "PutScalingPolicy",
            "PutScalingPolicy",
            "PutMetricAlarm",
            "PutMetricAlarm");
    assertThat(aws.targetTags(SEED_TARGET)).containsEntry(Owner.TAG_KEY, OWNER.tagValue());
    // Each alarm's only action is the ARN its step policy got.
    Map<String, ObservedPolicy> policies = aws.policies(SEED_TARGET);
    assertThat(aws.alarmNames())
        .allSatisfy(
            alarm ->
                assertThat(policies.values())
                    .extracting(ObservedPolicy::arn)
                    .contains(aws.alarmAction(alarm)));
    assertThat(((Outcome.Converged) outcome).policies())
        .allSatisfy(p -> assertThat(p.getArn()).isEqualTo(policies.get(p.getName()).arn()));
  }

  @Test
  void aPassOverConvergedAwsWritesNothing() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    aws.clearCalls();

    Outcome again = converge(aws, OWNS_ALL, false);

    assertThat(aws.writes()).isEmpty();
    assertThat(again)
        .isInstanceOfSatisfying(Outcome.Converged.class, c -> assertThat(c.changes()).isEmpty());
  }

  @Test
  void aDirectPassReadsTheTargetTrackingAlarmsStatesAndNeverWritesThem() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    List<String> cpu = aws.trackingAlarmNames(SEED_TARGET, OWNER.prefix() + "cpu");
    AlarmState high = new AlarmState(AlarmState.ALARM, "Threshold Crossed: test", null);
    aws.setAlarmState(cpu.get(0), high);
    aws.clearCalls();

    Outcome again = converge(aws, OWNS_ALL, false);

    assertThat(aws.writes()).isEmpty();
    assertThat(aws.calls())
        .filteredOn(c -> c.operation().equals("DescribeAlarms"))
        .as("ours by prefix, and one read of the six target-tracking alarms by name")
        .hasSize(2);
    assertThat(again)
        .isInstanceOfSatisfying(
            Outcome.Converged.class,
            c ->
                assertThat(c.scaling().alarms())
                    .filteredOn(a -> a.trackingPolicy() != null)
                    .hasSize(6)
                    .contains(
                        new ScalingObservation.NamedAlarmState(
                            cpu.get(0), high, OWNER.prefix() + "cpu")));
  }

  @Test
  void driftOnOnePolicyRewritesOnlyThatPolicy() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    String requests = OWNER.targetTrackingPolicy("requests");
    ScalingPolicy original = aws.policies(SEED_TARGET).get(requests).policy();
    PolicyConfig.TargetTracking tt = (PolicyConfig.TargetTracking) original.config();
    aws.putPolicyOutOfBand(
        SEED_TARGET,
        new ScalingPolicy(
            requests,
            new PolicyConfig.TargetTracking(
                5, tt.metric(), tt.scaleOutCooldown(), tt.scaleInCooldown(), tt.disableScaleIn())));
    aws.clearCalls();

    converge(aws, OWNS_ALL, false);

    assertThat(aws.writes()).containsExactly(new Call("PutScalingPolicy", requests));
    assertThat(aws.policies(SEED_TARGET).get(requests).policy()).isEqualTo(original);
  }

  @Test
  void aTargetRegisteredByAnotherToolIsLeftAloneUnlessAdoptionIsAsked() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    aws.registerOutOfBand(
        new ScalableTarget(SEED_TARGET, 1, 2, Suspension.NONE), Map.of("team", "other"));

    Outcome refused = converge(aws, NOTHING_KNOWN, false);

    assertThat(refused)
        .isInstanceOfSatisfying(
            Outcome.Stalled.class,
            s -> {
              assertThat(s.reason()).isEqualTo(Reason.Conflict);
              assertThat(s.message()).contains("autoscaling.sagemaker.dev/adopt");
            });
    assertThat(aws.writes()).isEmpty();

    Outcome adopted = converge(aws, NOTHING_KNOWN, true);

    assertThat(adopted).isInstanceOf(Outcome.Converged.class);
    assertThat(aws.writes().get(0).operation()).isEqualTo("TagResource");
    assertThat(aws.targetTags(SEED_TARGET))
        .containsEntry(Owner.TAG_KEY, OWNER.tagValue())
        .containsEntry("team", "other");
    assertThat(aws.target(SEED_TARGET)).map(ScalableTarget::maxCapacity).contains(3);
  }

  @Test
  void aTargetTaggedWithOurOwnerIsOursEvenWithoutAStatus() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    aws.registerOutOfBand(new ScalableTarget(SEED_TARGET, 1, 3, Suspension.NONE), OWNER.tags());

    Outcome outcome = converge(aws, NOTHING_KNOWN, false);

    assertThat(outcome).isInstanceOf(Outcome.Converged.class);
    assertThat(aws.writes())
        .extracting(Call::operation)
        .doesNotContain("TagResource", "RegisterScalableTarget");
  }

  @Test
  void theAdoptAnnotationNeverTakesATargetAnotherResourceOfOursHolds() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, OTHER, NOTHING_KNOWN, false);
    aws.clearCalls();

    assertConflict(converge(aws, NOTHING_KNOWN, true), OTHER.mark(), "never takes");
    assertThat(aws.writes()).isEmpty();
    assertThat(aws.targetTags(SEED_TARGET)).containsEntry(Owner.TAG_KEY, OTHER.mark());
  }

  @Test
  void aStatusThatRecordsTheTargetDoesNotAllowAWriteTheOwnerTagRefuses() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, OTHER, NOTHING_KNOWN, false);
    aws.putPolicyOutOfBand(
        SEED_TARGET,
        new ScalingPolicy(
            OWNER.targetTrackingPolicy("requests"),
            aws.policies(SEED_TARGET).values().iterator().next().policy().config()));
    aws.clearCalls();

    // As if this resource's last status had converged on the target: a write is still refused.
    assertConflict(converge(aws, OWNS_ALL, false), OTHER.mark());
    assertThat(aws.writes()).isEmpty();
    assertThat(aws.calls()).extracting(Call::operation).contains("ListTagsForResource");
  }

  @Test
  void aQuietPassOverATargetConvergedOnReadsNoTag() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    aws.clearCalls();

    assertThat(converge(aws, OWNS_ALL, false)).isInstanceOf(Outcome.Converged.class);
    assertThat(aws.calls()).extracting(Call::operation).doesNotContain("ListTagsForResource");

    assertThat(converge(aws, NOTHING_KNOWN, false))
        .as("without a record of the target, the tag is read even when nothing is written")
        .isInstanceOf(Outcome.Converged.class);
    assertThat(aws.calls()).extracting(Call::operation).contains("ListTagsForResource");
  }

  @Test
  void ofTwoResourcesThatRegisterAtOnceTheOneWhoseTagAwsKeptHoldsTheTarget() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, OTHER, NOTHING_KNOWN, false);
    aws.clearCalls();

    // This resource read AWS before the other registered: it saw no target and registers too.
    Outcome loser =
        new Converger(aws)
            .converge(
                spec, OWNER, REGION, NOTHING_KNOWN, false, Optional.of(ObservedState.empty()));

    assertConflict(loser, OTHER.mark());
    assertThat(aws.writes())
        .as("the registration that found the target taken is its last write")
        .extracting(Call::operation)
        .containsExactly("RegisterScalableTarget");
    assertThat(aws.targetTags(SEED_TARGET)).containsEntry(Owner.TAG_KEY, OTHER.mark());
    assertThat(aws.policies(SEED_TARGET))
        .allSatisfy((name, p) -> assertThat(OTHER.owns(name)).isTrue());
  }

  @Test
  void theSameNameInAnotherClusterOfTheSameNameWritesNothingAndItsTeardownRemovesNothing() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, OWNER, NOTHING_KNOWN, false);
    Map<String, ObservedPolicy> policies = aws.policies(SEED_TARGET);
    Set<String> alarms = aws.alarmNames();
    aws.clearCalls();

    assertConflict(converge(aws, TWIN, NOTHING_KNOWN, false), OWNER.mark());
    assertThat(aws.writes()).isEmpty();

    assertThat(new Converger(aws).teardown(SEED_TARGET, TWIN)).isEmpty();
    assertThat(aws.writes()).isEmpty();
    assertThat(aws.policies(SEED_TARGET)).isEqualTo(policies);
    assertThat(aws.alarmNames()).isEqualTo(alarms);
  }

  @Test
  void alarmsWithThisNameButAnotherOwnersMarkStopThePass() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, TWIN, NOTHING_KNOWN, false);
    // The twin's target is gone (deregistered by hand); its alarms are still there.
    aws.deregisterTarget(SEED_TARGET);
    aws.clearCalls();

    assertConflict(converge(aws, NOTHING_KNOWN, false), "CloudWatch alarm", TWIN.mark());
    assertThat(aws.writes()).isEmpty();
  }

  @Test
  void teardownByAResourceThatNeverHeldTheTargetLeavesTheHoldersObjects() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, OTHER, NOTHING_KNOWN, false);
    assertConflict(converge(aws, NOTHING_KNOWN, false), OTHER.mark());
    aws.clearCalls();

    assertThat(new Converger(aws).teardown(SEED_TARGET, OWNER)).isEmpty();

    assertThat(aws.writes()).isEmpty();
    assertThat(aws.target(SEED_TARGET)).isPresent();
    assertThat(aws.policies(SEED_TARGET)).hasSize(5);
    assertThat(aws.alarmNames()).hasSize(2);
  }

  @Test
  void teardownDeletesAlarmsBeforePoliciesAndDeregistersOnlyAnEmptyTarget() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    ScalingPolicy foreign =
        new ScalingPolicy(
            "someone-elses",
            aws.policies(SEED_TARGET).values().iterator().next().policy().config());
    aws.putPolicyOutOfBand(SEED_TARGET, foreign);
    aws.clearCalls();

    List<String> removed = new Converger(aws).teardown(SEED_TARGET, OWNER);

    assertThat(removed).first().asString().startsWith("DeleteAlarms");
    assertThat(aws.alarmNames()).isEmpty();
    assertThat(aws.policies(SEED_TARGET)).containsOnlyKeys("someone-elses");
    assertThat(aws.target(SEED_TARGET)).as("another tool's policy keeps the target").isPresent();

    aws.deletePolicy(SEED_TARGET, "someone-elses");
    new Converger(aws).teardown(SEED_TARGET, OWNER);

    assertThat(aws.target(SEED_TARGET)).isEmpty();
  }

  @Test
  void teardownOfATargetWithOnlyOurObjectsTakesTwoWrites() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    assertThat(aws.policies(SEED_TARGET)).isNotEmpty();
    aws.clearCalls();

    new Converger(aws).teardown(SEED_TARGET, OWNER);

    assertThat(aws.writes())
        .extracting(FakeScalingApi.Call::operation)
        .containsExactly("DeleteAlarms", "DeregisterScalableTarget");
    assertThat(aws.target(SEED_TARGET)).isEmpty();
    assertThat(aws.policies(SEED_TARGET)).isEmpty();
    assertThat(aws.scheduledActions(SEED_TARGET)).isEmpty();
    assertThat(aws.alarmNames()).isEmpty();
  }

  @Test
  void teardownWithItsAlarmsFromASnapshotStillReadsWhatIsOnTheTargetFromAws() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    List<ObservedAlarm> snapshot = aws.describeAlarms(OWNER.prefix());
    // Another tool's policy, added after the snapshot: deregistering would delete it.
    aws.putPolicyOutOfBand(
        SEED_TARGET,
        new ScalingPolicy(
            "someone-elses",
            aws.policies(SEED_TARGET).values().iterator().next().policy().config()));
    aws.clearCalls();

    new Converger(aws).startTeardown(SEED_TARGET, OWNER, Optional.of(snapshot)).awaited();

    assertThat(aws.calls()).extracting(Call::operation).doesNotContain("DescribeAlarms");
    assertThat(aws.alarmNames()).isEmpty();
    assertThat(aws.target(SEED_TARGET)).as("another tool's policy keeps the target").isPresent();
    assertThat(aws.policies(SEED_TARGET)).containsOnlyKeys("someone-elses");
  }

  @Test
  void teardownDeletesOnlyTheAlarmsOfTheSnapshotThatCarryItsMark() {
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, TWIN, NOTHING_KNOWN, false);
    aws.deregisterTarget(SEED_TARGET);
    List<ObservedAlarm> twinsAlarms = aws.describeAlarms(OWNER.prefix());
    assertThat(twinsAlarms).as("the twin's alarms have this resource's names").hasSize(2);
    aws.clearCalls();

    assertThat(
            new Converger(aws)
                .startTeardown(SEED_TARGET, OWNER, Optional.of(twinsAlarms))
                .awaited())
        .isEmpty();
    assertThat(aws.writes()).isEmpty();
  }

  @Test
  void aResyncKeepsBoundsAScheduleSetAndReportsThemWhileANewSpecRestoresItsOwn() {
    ScheduleSpec open = new ScheduleSpec();
    open.setName("open");
    open.setSchedule("cron(0 1 * * ? *)");
    open.setMinCapacity(4);
    open.setMaxCapacity(8);
    spec.setSchedules(List.of(open));
    FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
    converge(aws, NOTHING_KNOWN, false);
    ScalableTarget registered = aws.target(SEED_TARGET).orElseThrow();
    // The schedule fires: AWS sets the bounds on the target, whose tags stay.
    aws.registerOutOfBand(
        new ScalableTarget(SEED_TARGET, 4, 8, registered.suspension()), OWNER.tags());
    aws.clearCalls();

    Outcome resync =
        new Converger(aws).converge(spec, OWNER, REGION, OWNS_ALL, false, Optional.empty(), true);

    assertThat(aws.writes()).isEmpty();
    assertThat(((Outcome.Converged) resync).scheduledBounds())
        .hasValueSatisfying(b -> assertThat(b.setBy()).endsWith("open"))
        .hasValueSatisfying(
            b -> assertThat(List.of(b.minCapacity(), b.maxCapacity())).containsExactly(4, 8));

    Outcome specChange =
        new Converger(aws).converge(spec, OWNER, REGION, OWNS_ALL, false, Optional.empty(), false);

    assertThat(aws.target(SEED_TARGET)).contains(registered);
    assertThat(((Outcome.Converged) specChange).scheduledBounds()).isEmpty();
  }
}
