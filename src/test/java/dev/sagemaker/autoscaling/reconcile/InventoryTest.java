package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.reconcile.Fixtures.REGION;
import static dev.sagemaker.autoscaling.reconcile.Fixtures.SEED_TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.fake.FakeScalingApi;
import dev.sagemaker.autoscaling.fake.FakeScalingApi.Call;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.EndpointFacts;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.ObservedState.PolicyAlarm;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared snapshot: one batched read serves a scope, and it is never trusted when stale or older
 * than a write.
 */
class InventoryTest {
  private static final Duration RESYNC = Duration.ofMinutes(5);
  private static final Owner OWNER = new Owner("test", "ml", "recommender");
  private static final TargetKey OTHER =
      TargetKey.variant("other", "prod", TargetKey.VARIANT_INSTANCES);
  private static final String SCOPE = REGION + "|";

  private final Fixtures.ManualClock clock = new Fixtures.ManualClock("2026-03-01T10:00:00Z");
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final Inventory inventory = new Inventory(clock, RESYNC, "smsp_test_", executor);
  private final FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();

  @AfterEach
  void close() {
    inventory.close();
  }

  /** AWS holding what the seed resource converged to. */
  private void converged() {
    new Converger(aws)
        .converge(
            Fixtures.seed().getSpec(),
            OWNER,
            REGION,
            new Converger.OwnedSummary(false, true, true),
            false,
            Optional.empty());
    aws.clearCalls();
  }

  private Optional<ObservedState> observe(TargetKey key) {
    return inventory.observe(SCOPE, aws, key, OWNER, () -> List.of(SEED_TARGET, OTHER));
  }

  @Test
  void theFirstObservationReadsTheWholeScopeInOneBatch() {
    converged();

    Optional<ObservedState> seen = observe(SEED_TARGET);

    assertThat(seen)
        .hasValueSatisfying(
            s -> {
              assertThat(s.target()).isPresent();
              assertThat(s.policies()).hasSize(5);
              assertThat(s.alarms()).hasSize(2);
            });
    assertThat(aws.calls())
        .extracting(Call::operation)
        .containsExactlyInAnyOrder(
            "DescribeScalableTargets",
            "DescribeScalingPolicies",
            "DescribeScheduledActions",
            "DescribeAlarms",
            "DescribeAlarms",
            "ListEndpoints");
    assertThat(aws.calls())
        .filteredOn(c -> c.operation().equals("DescribeAlarms"))
        .extracting(Call::subject)
        .as("ours by prefix, and the target-tracking policies' alarms by name in one batch")
        .containsExactlyInAnyOrder(
            "smsp_test_",
            String.join(
                ",",
                seen.orElseThrow().policies().stream()
                    .flatMap(p -> p.alarms().stream())
                    .map(PolicyAlarm::name)
                    .sorted()
                    .toList()));

    aws.clearCalls();
    assertThat(observe(OTHER))
        .as("covered by the same snapshot")
        .hasValueSatisfying(s -> assertThat(s.target()).isEmpty());
    assertThat(aws.calls()).isEmpty();
  }

  @Test
  void aSnapshotOlderThanTheResyncPeriodIsNotTrusted() {
    converged();
    observe(SEED_TARGET);

    clock.advance(RESYNC);
    assertThat(observe(SEED_TARGET)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(observe(SEED_TARGET)).isEmpty();

    // The first observation tracked the whole scope, so the background refresh covers the target
    // again.
    inventory.refreshAll();
    assertThat(observe(SEED_TARGET)).isPresent();
  }

  @Test
  void aTargetWrittenSinceTheSnapshotIsReadFromAwsUntilTheNextOne() {
    converged();
    observe(SEED_TARGET);
    inventory.track(SCOPE, aws, SEED_TARGET);

    inventory.written(SEED_TARGET);
    assertThat(observe(SEED_TARGET)).isEmpty();
    assertThat(observe(OTHER)).as("other targets keep the snapshot").isPresent();

    clock.advance(Duration.ofSeconds(1));
    inventory.refreshAll();
    assertThat(observe(SEED_TARGET)).isPresent();
  }

  @Test
  void aDeletionTakesTheOwnersAlarmsFromASnapshotTakenAfterItsLastWritingPass() {
    assertThat(inventory.alarmsForTeardown(SCOPE, "uid-1", OWNER))
        .as("no snapshot yet: read AWS")
        .isEmpty();
    converged();
    inventory.passMayHaveWritten("uid-1");
    observe(SEED_TARGET);
    assertThat(inventory.alarmsForTeardown(SCOPE, "uid-1", OWNER))
        .as("the snapshot was taken in the instant the pass ended: it may lack its writes")
        .isEmpty();
    assertThat(inventory.alarmsForTeardown(SCOPE, "uid-2", OWNER))
        .as("a resource with no pass in this process wrote nothing this snapshot missed")
        .hasValueSatisfying(alarms -> assertThat(alarms).hasSize(2));

    clock.advance(Duration.ofSeconds(1));
    inventory.refreshAll();
    assertThat(inventory.alarmsForTeardown(SCOPE, "uid-1", OWNER))
        .hasValueSatisfying(
            alarms ->
                assertThat(alarms)
                    .extracting(a -> a.alarm().name())
                    .allMatch(OWNER::owns)
                    .hasSize(2));
    assertThat(inventory.alarmsForTeardown(SCOPE, "uid-1", new Owner("test", "ml", "other")))
        .as("only the owner's alarms")
        .hasValueSatisfying(alarms -> assertThat(alarms).isEmpty());

    clock.advance(Duration.ofSeconds(1));
    inventory.passMayHaveWritten("uid-1");
    assertThat(inventory.alarmsForTeardown(SCOPE, "uid-1", OWNER))
        .as("a later pass may have written alarms the snapshot lacks")
        .isEmpty();

    clock.advance(Duration.ofSeconds(1));
    inventory.refreshAll();
    clock.advance(RESYNC.plusSeconds(1));
    assertThat(inventory.alarmsForTeardown(SCOPE, "uid-2", OWNER))
        .as("older than the resync period")
        .isEmpty();
  }

  @Test
  void aScopeWithNothingTrackedIsNotRefreshedInTheBackground() {
    converged();
    observe(SEED_TARGET);
    inventory.untrack(SEED_TARGET);
    inventory.untrack(OTHER);
    aws.clearCalls();

    inventory.refreshAll();

    assertThat(aws.calls()).isEmpty();
  }

  @Test
  void aFirstPassTrustsOnlyAYoungSnapshot() {
    converged();
    observe(SEED_TARGET);

    clock.advance(Inventory.FIRST_PASS_MAX_AGE);
    assertThat(firstPass(OTHER)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(firstPass(OTHER))
        .as("a target registered since by someone else must be seen")
        .isEmpty();
    assertThat(observe(OTHER)).as("a resync still trusts it").isPresent();
  }

  @Test
  void aTargetTornDownIsReadFromAwsByTheNextFirstPass() {
    converged();
    observe(SEED_TARGET);
    clock.advance(Duration.ofSeconds(1));

    // A deleted resource's target; a new resource on the same endpoint must not see its objects.
    inventory.untrack(SEED_TARGET);
    inventory.written(SEED_TARGET);

    assertThat(firstPass(SEED_TARGET)).isEmpty();
  }

  @Test
  void aSettledEndpointIsDescribedOnceAndThenReadFromTheListing() {
    converged();
    observe(SEED_TARGET);
    aws.clearCalls();

    assertThat(endpoint()).hasValueSatisfying(f -> assertThat(f.inService()).isTrue());
    assertThat(endpoint()).isPresent();
    clock.advance(Duration.ofSeconds(1));
    inventory.track(SCOPE, aws, SEED_TARGET);
    inventory.refreshAll();
    assertThat(endpoint()).isPresent();

    assertThat(aws.calls())
        .extracting(Call::operation)
        .filteredOn(o -> o.startsWith("DescribeEndpoint"))
        .containsExactly("DescribeEndpoint", "DescribeEndpointConfig");
  }

  @Test
  void aModifiedOrScalingEndpointIsDescribedAgain() {
    converged();
    observe(SEED_TARGET);
    endpoint();

    aws.modifyEndpoint(Fixtures.ENDPOINT, "InService", 1, 2);
    clock.advance(Duration.ofSeconds(1));
    inventory.track(SCOPE, aws, SEED_TARGET);
    inventory.refreshAll();
    aws.clearCalls();

    assertThat(endpoint()).hasValueSatisfying(f -> assertThat(f.desiredCapacity()).isEqualTo(2));
    assertThat(endpoint()).as("still scaling: not kept").isPresent();
    assertThat(aws.calls())
        .extracting(Call::operation)
        .filteredOn("DescribeEndpoint"::equals)
        .hasSize(2);
  }

  private Optional<ObservedState> firstPass(TargetKey key) {
    return inventory.observe(SCOPE, aws, key, OWNER, true, List::of);
  }

  private Optional<EndpointFacts> endpoint() {
    return inventory.endpoint(SCOPE, aws, Fixtures.ENDPOINT, "prod", true);
  }

  private static final String COMPONENT = "llm-component";

  private Optional<EndpointFacts> component() {
    return inventory.inferenceComponent(SCOPE, aws, COMPONENT);
  }

  /** A snapshot taken a second later, as the background refresh takes them. */
  private void nextSnapshot() {
    clock.advance(Duration.ofSeconds(1));
    inventory.track(SCOPE, aws, SEED_TARGET);
    inventory.refreshAll();
  }

  @Test
  void aScopeWithoutInferenceComponentsDoesNotListThem() {
    converged();
    observe(SEED_TARGET);
    endpoint();
    nextSnapshot();

    assertThat(aws.calls()).extracting(Call::operation).doesNotContain("ListInferenceComponents");
  }

  @Test
  void aSettledInferenceComponentIsDescribedOnceAndThenReadFromTheListing() {
    aws.withInferenceComponent(COMPONENT, "InService");
    converged();
    observe(SEED_TARGET);
    aws.clearCalls();

    assertThat(component()).as("not listed yet: described").isPresent();
    nextSnapshot();
    assertThat(component()).hasValueSatisfying(f -> assertThat(f.inService()).isTrue());
    assertThat(component()).isPresent();
    nextSnapshot();
    assertThat(component()).hasValueSatisfying(f -> assertThat(f.currentCapacity()).isEqualTo(1));

    assertThat(aws.calls())
        .extracting(Call::operation)
        .filteredOn(o -> o.contains("InferenceComponent"))
        .containsExactly(
            "DescribeInferenceComponent",
            "ListInferenceComponents",
            "DescribeInferenceComponent",
            "ListInferenceComponents");
  }

  @Test
  void aModifiedOrScalingInferenceComponentIsDescribedAgain() {
    aws.withInferenceComponent(COMPONENT, "InService");
    converged();
    observe(SEED_TARGET);
    component();
    nextSnapshot();
    component();

    aws.modifyInferenceComponent(COMPONENT, "InService", 1, 3);
    nextSnapshot();
    aws.clearCalls();
    assertThat(component()).hasValueSatisfying(f -> assertThat(f.desiredCapacity()).isEqualTo(3));
    assertThat(component()).as("still scaling: not kept").isPresent();

    aws.modifyInferenceComponent(COMPONENT, "InService", 3, 3);
    nextSnapshot();
    assertThat(component()).hasValueSatisfying(f -> assertThat(f.currentCapacity()).isEqualTo(3));
    assertThat(component()).as("settled again: kept").isPresent();

    assertThat(aws.calls())
        .extracting(Call::operation)
        .filteredOn("DescribeInferenceComponent"::equals)
        .hasSize(3);
  }

  @Test
  void aDeletedInferenceComponentIsDescribedAndFoundMissing() {
    aws.withInferenceComponent(COMPONENT, "InService");
    converged();
    observe(SEED_TARGET);
    component();
    nextSnapshot();
    component();

    aws.deleteInferenceComponent(COMPONENT);
    nextSnapshot();

    assertThat(component()).isEmpty();
  }

  @Test
  void anotherOwnersAlarmsAreNotPartOfAResourcesView() {
    converged();

    Optional<ObservedState> seen =
        inventory.observe(
            SCOPE,
            aws,
            SEED_TARGET,
            new Owner("test", "ml", "someone-else"),
            () -> List.of(SEED_TARGET));

    assertThat(seen).hasValueSatisfying(s -> assertThat(s.alarms()).isEmpty());
  }

  @Test
  void anAlarmIsFiledUnderItsOwnersPrefix() {
    assertThat(Inventory.ownerPrefix(OWNER.prefix() + "cpu_high")).isEqualTo(OWNER.prefix());
    assertThat(Inventory.ownerPrefix(OWNER.prefix())).isEqualTo(OWNER.prefix());
    assertThat(Inventory.ownerPrefix(new Owner("test", "ml", "recommender-b").prefix() + "cpu"))
        .isNotEqualTo(OWNER.prefix());
    assertThat(Inventory.ownerPrefix("smsp_test_ml")).isEmpty();
  }

  @Test
  void closingStopsTheRefresher() {
    inventory.close();
    assertThat(executor.isShutdown()).isTrue();
  }

  @Test
  void theTrackedTargetsTargetTrackingAlarmsComeWithTheirStates() {
    converged();
    List<String> cpu = aws.trackingAlarmNames(SEED_TARGET, OWNER.prefix() + "cpu");
    assertThat(cpu).as("AWS made an AlarmHigh and an AlarmLow for the policy").hasSize(2);
    AlarmState noData =
        new AlarmState(
            AlarmState.INSUFFICIENT_DATA, "no datapoints", Instant.parse("2026-03-01T09:00:00Z"));
    aws.setAlarmState(cpu.get(0), noData);

    ObservedState seen = observe(SEED_TARGET).orElseThrow();

    assertThat(seen.policies())
        .filteredOn(p -> p.policy().name().equals(OWNER.prefix() + "cpu"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.alarms())
                    .containsExactly(
                        new PolicyAlarm(cpu.get(0), Optional.of(noData)),
                        new PolicyAlarm(cpu.get(1), Optional.empty())));
    assertThat(seen.alarms())
        .as("AWS's alarms are not among ours: the operator never writes or deletes them")
        .noneMatch(a -> a.alarm().name().startsWith("TargetTracking-"));
  }
}
