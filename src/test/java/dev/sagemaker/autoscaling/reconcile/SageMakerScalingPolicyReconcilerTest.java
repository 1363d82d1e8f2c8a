package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.reconcile.Fixtures.SEED_TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.Annotations;
import dev.sagemaker.autoscaling.api.v1alpha1.AwsSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.AwsApiException;
import dev.sagemaker.autoscaling.aws.AwsErrorKind;
import dev.sagemaker.autoscaling.aws.ScalingApi;
import dev.sagemaker.autoscaling.aws.ScalingApis;
import dev.sagemaker.autoscaling.fake.FakeScalingApi;
import dev.sagemaker.autoscaling.fake.FakeScalingApi.Call;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants;
import dev.sagemaker.autoscaling.tenancy.SessionIdentity;
import dev.sagemaker.autoscaling.tenancy.TenancyMode;
import io.fabric8.kubernetes.api.model.Event;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The flow of whole passes, against the in-memory AWS and without an API server. */
class SageMakerScalingPolicyReconcilerTest {
  private final Fixtures.ManualClock clock = new Fixtures.ManualClock("2026-03-01T10:00:00Z");
  private final FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
  private final List<Event> events = new ArrayList<>();
  private final List<String> apisAskedFor = new ArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<SageMakerScalingPolicy> statusPatches = new ArrayList<>();
  private Optional<String> defaultRegion = Optional.of(Fixtures.REGION);

  /**
   * Namespace annotations by namespace; one not listed grants everything, so the other tests need
   * no grants.
   */
  private final Map<String, Map<String, String>> namespaceAnnotations = new HashMap<>();

  private final Inventory inventory =
      new Inventory(
          clock, Duration.ofMinutes(5), "smsp_test_", Executors.newSingleThreadScheduledExecutor());

  private final TenancyGate grantsAsAnnotated =
      new TenancyGate(
          TenancyMode.NAMESPACE_GRANTS,
          namespace ->
              namespaceAnnotations.getOrDefault(
                  namespace,
                  Map.of(
                      NamespaceGrants.ALLOWED_TARGETS,
                      "*",
                      NamespaceGrants.ALLOWED_ROLES,
                      "*",
                      NamespaceGrants.ALLOWED_REGIONS,
                      "*",
                      NamespaceGrants.ALLOW_ADOPT,
                      "true")));

  private final SageMakerScalingPolicyReconciler reconciler = newReconciler(grantsAsAnnotated);

  private SageMakerScalingPolicyReconciler newReconciler(TenancyGate tenancy) {
    return newReconciler(tenancy, Converger::new);
  }

  private SageMakerScalingPolicyReconciler newReconciler(
      TenancyGate tenancy, Function<ScalingApi, Converger> convergers) {
    return new SageMakerScalingPolicyReconciler(
        new ScalingApis() {
          @Override
          public ScalingApi forTarget(String region, String roleArn, SessionIdentity session) {
            apisAskedFor.add(region);
            return aws;
          }

          @Override
          public Optional<String> defaultRegion() {
            return defaultRegion;
          }
        },
        convergers,
        new StatusBuilder(clock),
        new EventRecorder(events::add, clock),
        ReconcilerSettings.defaults("test", Duration.ofMinutes(5)),
        new ReconcileMetrics(meters, clock),
        tenancy,
        inventory,
        new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), bound -> bound));
  }

  @AfterEach
  void close() {
    reconciler.close();
  }

  /**
   * Runs a pass and applies its status patch, if it has one, to the resource, as the API server
   * would.
   */
  private UpdateControl<SageMakerScalingPolicy> pass(
      SageMakerScalingPolicy resource, SageMakerScalingPolicy... all) {
    UpdateControl<SageMakerScalingPolicy> control =
        reconciler.reconcile(resource, () -> Stream.of(all));
    assertThat(control.isPatchResource()).as("a pass writes nothing but its status").isFalse();
    if (control.isPatchStatus()) {
      resource.setStatus(control.getResource().orElseThrow().getStatus());
    }
    return control;
  }

  /** The seed stack converged by one pass, and the inventory's snapshot taken a minute later. */
  private SageMakerScalingPolicy seedConvergedBeforeASnapshot() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    pass(resource, resource);
    clock.advance(Duration.ofMinutes(1));
    inventory.refreshAll();
    return resource;
  }

  private static Optional<Reason> reason(SageMakerScalingPolicy resource) {
    return StatusBuilder.lastReason(resource.getStatus());
  }

  @Test
  void convergesOnceThenResyncsWithoutWriting() {
    SageMakerScalingPolicy resource = Fixtures.seed();

    pass(resource, resource);
    assertThat(reason(resource)).contains(Reason.Converged);
    assertThat(aws.writes()).hasSize(8);
    assertThat(events).extracting(Event::getReason).containsExactly("Applied");

    clock.advance(Duration.ofMinutes(5));
    pass(resource, resource);
    assertThat(resource.getStatus().getScaling().getAlarms())
        .as("the first resync adds the alarms AWS created for the target-tracking policies")
        .filteredOn(a -> a.getTargetTrackingPolicy() != null)
        .hasSize(6);
    aws.clearCalls();
    clock.advance(Duration.ofMinutes(5));
    UpdateControl<SageMakerScalingPolicy> resync = pass(resource, resource);

    assertThat(reason(resource)).contains(Reason.Converged);
    assertThat(aws.writes()).isEmpty();
    assertThat(events).as("a quiet resync records no Event").hasSize(1);
    assertThat(resync.isPatchStatus()).as("a quiet resync writes no status").isFalse();
  }

  @Test
  void lastSyncTimeMovesWithAChangeOrHourlyAndTheMetricWithEveryResync() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    pass(resource, resource);
    assertThat(resource.getStatus().getLastSyncTime()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(lastSyncMetric()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z").getEpochSecond());

    clock.advance(Duration.ofMinutes(5));
    // The first resync records the alarms AWS created for the target-tracking policies.
    pass(resource, resource);
    assertThat(lastSyncMetric()).isEqualTo(Instant.parse("2026-03-01T10:05:00Z").getEpochSecond());
    clock.advance(Duration.ofMinutes(1));
    assertThat(pass(resource, resource).isPatchStatus()).isFalse();

    clock.advance(Duration.ofMinutes(53));
    assertThat(pass(resource, resource).isPatchStatus()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(pass(resource, resource).isPatchStatus()).as("an hour old: written again").isTrue();
    assertThat(resource.getStatus().getLastSyncTime()).isEqualTo("2026-03-01T11:00:00Z");

    reconciler.cleanup(resource, statusPatches::add);
    assertThat(meters.find("smsp_last_sync_timestamp_seconds").gauges())
        .as("forgotten with the resource")
        .isEmpty();
  }

  private double lastSyncMetric() {
    return meters
        .get("smsp_last_sync_timestamp_seconds")
        .tag("namespace", "ml")
        .tag("name", "recommender")
        .gauge()
        .value();
  }

  @Test
  void firstPassesOfAFleetShareOneBatchedReadInsteadOfDescribingEachTarget() {
    SageMakerScalingPolicy first = Fixtures.seed();
    SageMakerScalingPolicy second = Fixtures.seed();
    second.getMetadata().setName("other");
    second.getSpec().getTarget().setEndpointName("other-endpoint");
    aws.withEndpoint("other-endpoint", "InService", "ml.m5.xlarge", "prod");

    pass(first, first, second);
    pass(second, first, second);

    assertThat(reason(first)).contains(Reason.Converged);
    assertThat(reason(second)).contains(Reason.Converged);
    assertThat(aws.calls())
        .extracting(Call::operation)
        .as("one snapshot of the scope serves both first passes")
        .filteredOn(o -> o.startsWith("Describe") && !o.startsWith("DescribeEndpoint"))
        .filteredOn(o -> !o.equals("DescribeScalingActivities"))
        .containsExactlyInAnyOrder(
            "DescribeScalableTargets",
            "DescribeScalingPolicies",
            "DescribeScheduledActions",
            "DescribeAlarms");
  }

  @Test
  void aQuietResyncReadsTheEndpointFromTheListingNotFromSageMaker() {
    SageMakerScalingPolicy resource = seedConvergedBeforeASnapshot();
    pass(resource, resource);

    aws.clearCalls();
    clock.advance(Duration.ofMinutes(1));
    pass(resource, resource);

    assertThat(reason(resource)).contains(Reason.Converged);
    assertThat(aws.calls()).extracting(Call::operation).doesNotContain("DescribeEndpoint");
  }

  @Test
  void outOfBandChangesAreRestoredAndReportedAsDrift() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    pass(resource, resource);
    aws.deletePolicy(SEED_TARGET, "smsp_test_ml_recommender_cpu");
    resource.getMetadata().setGeneration(1L);

    // The next pass reads the shared snapshot, which is taken now and so sees the deletion.
    clock.advance(Duration.ofMinutes(1));
    pass(resource, resource);

    assertThat(aws.policies(SEED_TARGET)).containsKey("smsp_test_ml_recommender_cpu");
    assertThat(events).extracting(Event::getReason).containsExactly("Applied", "DriftCorrected");
  }

  @Test
  void withoutAnyRegionTheResourceStallsAndAwsIsNotCalled() {
    defaultRegion = Optional.empty();
    SageMakerScalingPolicy resource = Fixtures.seed();

    UpdateControl<SageMakerScalingPolicy> control = pass(resource, resource);

    assertThat(reason(resource)).contains(Reason.NoRegion);
    assertThat(control.getScheduleDelay()).isEmpty();
    assertThat(apisAskedFor).isEmpty();
    assertThat(aws.calls()).isEmpty();
  }

  @Test
  void pausedResourcesNeitherReadNorWrite() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    resource.getMetadata().getAnnotations().put(Annotations.PAUSED, "TRUE");

    pass(resource, resource);

    assertThat(reason(resource)).contains(Reason.Paused);
    assertThat(aws.calls()).isEmpty();
  }

  @Test
  void recoverableErrorsComeBackAfterAGrowingBackoffThatSuccessResets() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    // The first pass's batched inventory read fails first; the pass then reads AWS itself.
    aws.failNext(3, AwsErrorKind.RECOVERABLE);

    assertThat(pass(resource, resource).getScheduleDelay()).contains(2_000L);
    assertThat(reason(resource)).contains(Reason.AwsRetrying);
    assertThat(pass(resource, resource).getScheduleDelay()).contains(4_000L);

    assertThat(pass(resource, resource).getScheduleDelay()).isEmpty();
    assertThat(reason(resource)).contains(Reason.Converged);

    aws.failNext(1, AwsErrorKind.RECOVERABLE);
    resource.getMetadata().setGeneration(2L);
    assertThat(pass(resource, resource).getScheduleDelay())
        .as("reset by the success")
        .contains(2_000L);
  }

  @Test
  void terminalErrorsStallWithoutAHotRetry() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    // The first pass's batched inventory read fails first; the pass then reads AWS itself.
    aws.failNext(2, AwsErrorKind.TERMINAL);

    UpdateControl<SageMakerScalingPolicy> control = pass(resource, resource);

    assertThat(reason(resource)).contains(Reason.AwsRejected);
    assertThat(control.getScheduleDelay()).isEmpty();
    assertThat(events).extracting(Event::getType).containsExactly("Warning");
  }

  @Test
  void waitingForAMissingEndpointLooksLessOftenUpToTheCapAndStartsOverWhenItAppears() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    resource.getSpec().getTarget().setEndpointName("recommender-typo");
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      delays.add(pass(resource, resource).getScheduleDelay().orElseThrow());
    }

    assertThat(reason(resource)).contains(Reason.EndpointNotFound);
    assertThat(delays)
        .as("30 s doubling to the 5 min cap (jitter fixed at its longest)")
        .containsExactly(
            30_000L, 60_000L, 120_000L, 240_000L, 300_000L, 300_000L, 300_000L, 300_000L);
    assertThat(aws.calls())
        .as("one look at the endpoint per pass, no more")
        .extracting(FakeScalingApi.Call::operation)
        .filteredOn("DescribeEndpoint"::equals)
        .hasSize(8);
    assertThat(meters.get("smsp_waiting_resources").gauge().value()).isEqualTo(1);
    assertThat(meters.get("smsp_waiting_next_look_max_seconds").gauge().value()).isEqualTo(300);

    resource.getMetadata().setGeneration(2L);
    assertThat(pass(resource, resource).getScheduleDelay())
        .as("a new spec generation starts over")
        .contains(30_000L);
    pass(resource, resource);

    resource.getSpec().getTarget().setEndpointName(Fixtures.ENDPOINT);
    resource.getMetadata().setGeneration(3L);
    assertThat(pass(resource, resource).getScheduleDelay()).isEmpty();
    assertThat(reason(resource)).contains(Reason.Converged);
    assertThat(meters.get("smsp_waiting_resources").gauge().value()).isZero();

    aws.withEndpoint(Fixtures.ENDPOINT, "Updating", "ml.m5.xlarge", "prod");
    assertThat(pass(resource, resource).getScheduleDelay())
        .as("waiting again after converging starts from the first interval")
        .contains(30_000L);
  }

  @Test
  void theTagHolderKeepsTheTargetOverAnOlderResourceWhoseDeletionLeavesTheHoldersObjects() {
    SageMakerScalingPolicy older = Fixtures.seed("a", "older", "2026-01-01T00:00:00Z");
    SageMakerScalingPolicy holder = Fixtures.seed("b", "holder", "2026-02-01T00:00:00Z");
    pass(holder, older, holder);
    aws.clearCalls();

    pass(older, older, holder);

    assertThat(reason(older)).contains(Reason.Conflict);
    assertThat(older.getStatus().getConditions().get(0).getMessage())
        .contains("test/b/holder/b-holder-uid");
    assertThat(older.getStatus().getResourceId()).as("it does not hold the target").isNull();
    assertThat(aws.writes()).isEmpty();

    clock.advance(Duration.ofMinutes(5));
    pass(holder, older, holder);
    assertThat(reason(holder)).as("the holder is not evicted").contains(Reason.Converged);

    DeleteControl deleted = reconciler.cleanup(older, statusPatches::add);
    assertThat(deleted.isRemoveFinalizer()).isTrue();
    assertThat(aws.writes()).isEmpty();
    assertThat(aws.policies(SEED_TARGET)).hasSize(5);
    assertThat(aws.alarmNames()).hasSize(2);

    reconciler.cleanup(holder, statusPatches::add);
    assertThat(aws.target(SEED_TARGET)).isEmpty();
    assertThat(aws.alarmNames()).isEmpty();
  }

  @Test
  void deletionRemovesEverythingAndRetriesAFailedCleanup() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    pass(resource, resource);
    aws.failNext(1, AwsErrorKind.RECOVERABLE);

    DeleteControl failed = reconciler.cleanup(resource, statusPatches::add);

    assertThat(failed.isRemoveFinalizer()).isFalse();
    assertThat(failed.getScheduleDelay()).isPresent();
    assertThat(events).extracting(Event::getReason).endsWith("CleanupFailed");

    DeleteControl done = reconciler.cleanup(resource, statusPatches::add);

    assertThat(done.isRemoveFinalizer()).isTrue();
    assertThat(aws.target(SEED_TARGET)).isEmpty();
    assertThat(aws.alarmNames()).isEmpty();
  }

  @Test
  void deletionAfterQuietPassesTakesItsAlarmsFromTheSnapshotInTwoWrites() {
    SageMakerScalingPolicy resource = seedConvergedBeforeASnapshot();
    aws.clearCalls();

    DeleteControl done = reconciler.cleanup(resource, statusPatches::add);

    assertThat(done.isRemoveFinalizer()).isTrue();
    assertThat(aws.calls()).extracting(Call::operation).doesNotContain("DescribeAlarms");
    assertThat(aws.writes())
        .extracting(Call::operation)
        .containsExactly("DeleteAlarms", "DeregisterScalableTarget");
    assertThat(aws.alarmNames()).isEmpty();
    assertThat(aws.target(SEED_TARGET)).isEmpty();
  }

  @Test
  void alarmsAPassWroteAfterTheSnapshotAreStillDeleted() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    var steps = resource.getSpec().getStepScaling();
    resource.getSpec().setStepScaling(List.of());
    pass(resource, resource);
    clock.advance(Duration.ofMinutes(1));
    inventory.refreshAll();
    clock.advance(Duration.ofMinutes(1));
    resource.getSpec().setStepScaling(steps);
    resource.getMetadata().setGeneration(2L);
    pass(resource, resource);
    assertThat(aws.alarmNames()).as("written after the snapshot").hasSize(2);

    DeleteControl done = reconciler.cleanup(resource, statusPatches::add);

    assertThat(done.isRemoveFinalizer()).isTrue();
    assertThat(aws.alarmNames()).isEmpty();
    assertThat(aws.target(SEED_TARGET)).isEmpty();
  }

  @Test
  void theDeregisterAnnotationRemovesEverythingAndHolds() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    pass(resource, resource);
    resource.getMetadata().getAnnotations().put(Annotations.DEREGISTER, "true");

    pass(resource, resource);

    assertThat(reason(resource)).contains(Reason.Paused);
    assertThat(resource.getStatus().getResourceId()).isNull();
    assertThat(aws.target(SEED_TARGET)).isEmpty();
    assertThat(events).extracting(Event::getReason).endsWith("Deregistered");

    aws.clearCalls();
    pass(resource, resource);
    assertThat(aws.calls()).as("holding touches nothing").isEmpty();
  }

  @Test
  void aNamespaceWithoutGrantsIsForbiddenBeforeAnyAwsCall() {
    namespaceAnnotations.put("team-a", Map.of());
    SageMakerScalingPolicy resource =
        Fixtures.seed("team-a", "recommender", "2026-01-01T00:00:00Z");

    UpdateControl<SageMakerScalingPolicy> control = pass(resource, resource);

    assertThat(reason(resource)).contains(Reason.Forbidden);
    assertThat(resource.getStatus().getConditions())
        .anySatisfy(
            c ->
                assertThat(c)
                    .extracting("type", "status", "reason")
                    .containsExactly("Stalled", "True", "Forbidden"));
    assertThat(control.getScheduleDelay()).isEmpty();
    assertThat(apisAskedFor).isEmpty();
    assertThat(aws.calls()).isEmpty();
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("Forbidden");
              assertThat(e.getMessage())
                  .contains("spec.target.endpointName", "team-a", NamespaceGrants.ALLOWED_TARGETS);
            });
  }

  @Test
  void aGrantNotMatchingTheTargetOrRoleIsForbiddenToo() {
    namespaceAnnotations.put("team-a", Map.of(NamespaceGrants.ALLOWED_TARGETS, "team-a-*"));
    SageMakerScalingPolicy otherTeams =
        Fixtures.seed("team-a", "recommender", "2026-01-01T00:00:00Z");

    pass(otherTeams, otherTeams);

    assertThat(reason(otherTeams)).contains(Reason.Forbidden);
    assertThat(aws.calls()).isEmpty();

    namespaceAnnotations.put("team-a", Map.of(NamespaceGrants.ALLOWED_TARGETS, "*"));
    SageMakerScalingPolicy withRole = Fixtures.seed("team-a", "with-role", "2026-01-01T00:00:00Z");
    withRole.getSpec().setAws(new AwsSettings());
    withRole.getSpec().getAws().setRoleArn("arn:aws:iam::123456789012:role/team-b");

    pass(withRole, withRole);

    assertThat(reason(withRole)).contains(Reason.Forbidden);
    assertThat(withRole.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getMessage()).contains("spec.aws.roleArn"));
    assertThat(aws.calls()).isEmpty();
  }

  @Test
  void aGrantedNamespaceConverges() {
    namespaceAnnotations.put(
        "team-a", Map.of(NamespaceGrants.ALLOWED_TARGETS, "other,  " + Fixtures.ENDPOINT));
    SageMakerScalingPolicy resource =
        Fixtures.seed("team-a", "recommender", "2026-01-01T00:00:00Z");

    pass(resource, resource);

    assertThat(reason(resource)).contains(Reason.Converged);
    assertThat(aws.writes()).isNotEmpty();
  }

  @Test
  void openTenancyIgnoresGrants() {
    namespaceAnnotations.put("team-a", Map.of());
    SageMakerScalingPolicy resource =
        Fixtures.seed("team-a", "recommender", "2026-01-01T00:00:00Z");
    SageMakerScalingPolicyReconciler open = newReconciler(TenancyGate.open());
    try {
      UpdateControl<SageMakerScalingPolicy> control =
          open.reconcile(resource, () -> Stream.of(resource));
      resource.setStatus(control.getResource().orElseThrow().getStatus());
    } finally {
      open.close();
    }

    assertThat(reason(resource)).contains(Reason.Converged);
  }

  /**
   * DeleteAlarms calls handed over as in {@link AlarmDeletions}, made only when the test says so:
   * each request gets a future of its own.
   */
  private final class HeldAlarmCalls {
    final List<List<String>> names = new ArrayList<>();
    final List<CompletableFuture<Void>> outcomes = new ArrayList<>();
    final SageMakerScalingPolicyReconciler reconciler =
        newReconciler(grantsAsAnnotated, this::converger);

    Converger converger(ScalingApi api) {
      return new Converger(
          api,
          alarmNames -> {
            CompletableFuture<Void> outcome = new CompletableFuture<>();
            names.add(alarmNames);
            outcomes.add(outcome);
            return outcome;
          });
    }

    void succeed(int call) {
      aws.deleteAlarms(names.get(call));
      outcomes.get(call).complete(null);
    }
  }

  @Test
  void deletionKeepsTheFinalizerUntilTheSharedAlarmCallSucceededWithoutAskingAwsMeanwhile() {
    HeldAlarmCalls alarmCalls = new HeldAlarmCalls();
    SageMakerScalingPolicyReconciler deleting = alarmCalls.reconciler;
    SageMakerScalingPolicy resource = Fixtures.seed();
    pass(resource, resource);

    DeleteControl handedOver = deleting.cleanup(resource, statusPatches::add);

    assertThat(handedOver.isRemoveFinalizer()).isFalse();
    assertThat(handedOver.getScheduleDelay())
        .contains(SageMakerScalingPolicyReconciler.ALARMS_LOOK_AGAIN.toMillis());
    assertThat(aws.target(SEED_TARGET)).as("deregistered at once").isEmpty();
    assertThat(alarmCalls.names).singleElement().asList().hasSize(2);
    assertThat(aws.alarmNames()).as("the shared call has not left").hasSize(2);

    aws.clearCalls();
    assertThat(deleting.cleanup(resource, statusPatches::add).isRemoveFinalizer()).isFalse();
    assertThat(aws.calls()).as("looking again costs no AWS call").isEmpty();

    alarmCalls.succeed(0);
    DeleteControl done = deleting.cleanup(resource, statusPatches::add);

    assertThat(done.isRemoveFinalizer()).isTrue();
    assertThat(aws.alarmNames()).isEmpty();
    assertThat(alarmCalls.names).as("handed over once").hasSize(1);
    assertThat(events).extracting(Event::getReason).doesNotContain("CleanupFailed");
  }

  @Test
  void aFailedSharedAlarmCallKeepsTheFinalizerSaysWhyAndTheRetryDeletesWhatIsLeft() {
    HeldAlarmCalls alarmCalls = new HeldAlarmCalls();
    SageMakerScalingPolicyReconciler deleting = alarmCalls.reconciler;
    SageMakerScalingPolicy resource = seedConvergedBeforeASnapshot();
    deleting.cleanup(resource, statusPatches::add);

    alarmCalls
        .outcomes
        .get(0)
        .completeExceptionally(
            new AwsApiException(
                AwsErrorKind.RECOVERABLE, "DeleteAlarms", "Throttling", "Rate exceeded", null));
    DeleteControl failed = deleting.cleanup(resource, statusPatches::add);

    assertThat(failed.isRemoveFinalizer()).isFalse();
    assertThat(failed.getScheduleDelay()).contains(2_000L);
    assertThat(events).extracting(Event::getReason).endsWith("CleanupFailed");
    assertThat(StatusBuilder.lastReason(statusPatches.get(statusPatches.size() - 1).getStatus()))
        .contains(Reason.CleanupFailed);
    assertThat(aws.alarmNames()).hasSize(2);

    aws.clearCalls();
    DeleteControl retried = deleting.cleanup(resource, statusPatches::add);
    assertThat(aws.calls())
        .extracting(Call::operation)
        .as("the retry reads what is left from AWS, not from the snapshot")
        .contains("DescribeAlarms");
    assertThat(retried.isRemoveFinalizer()).isFalse();
    alarmCalls.succeed(1);

    assertThat(deleting.cleanup(resource, statusPatches::add).isRemoveFinalizer()).isTrue();
    assertThat(aws.alarmNames()).isEmpty();
    assertThat(aws.target(SEED_TARGET)).isEmpty();
  }

  @Test
  void aFailingCleanupBacksOffToTheCapSaysWhyInStatusAndOnlySuccessResetsIt() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    pass(resource, resource);
    aws.failNext(10, AwsErrorKind.RECOVERABLE);

    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      DeleteControl failed = reconciler.cleanup(resource, statusPatches::add);
      assertThat(failed.isRemoveFinalizer()).isFalse();
      delays.add(failed.getScheduleDelay().orElseThrow());
    }

    assertThat(delays)
        .containsExactly(
            2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 64_000L, 128_000L, 256_000L, 300_000L,
            300_000L);
    SageMakerScalingPolicy lastPatch = statusPatches.get(statusPatches.size() - 1);
    assertThat(StatusBuilder.lastReason(lastPatch.getStatus())).contains(Reason.CleanupFailed);
    assertThat(lastPatch.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Stalled"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getMessage()).contains("injected failure");
            });
    assertThat(events)
        .filteredOn(e -> e.getReason().equals("CleanupFailed"))
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"))
        .isNotEmpty();

    assertThat(reconciler.cleanup(resource, statusPatches::add).isRemoveFinalizer()).isTrue();
    assertThat(aws.target(SEED_TARGET)).isEmpty();

    aws.failNext(1, AwsErrorKind.RECOVERABLE);
    assertThat(reconciler.cleanup(resource, statusPatches::add).getScheduleDelay())
        .as("reset by the success")
        .contains(2_000L);
  }

  @Test
  void deletingAPausedResourceReleasesItAndLeavesAwsAlone() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    pass(resource, resource);
    resource.getMetadata().getAnnotations().put(Annotations.PAUSED, "true");
    aws.clearCalls();

    DeleteControl deleted = reconciler.cleanup(resource, statusPatches::add);

    assertThat(deleted.isRemoveFinalizer()).isTrue();
    assertThat(aws.calls()).isEmpty();
    assertThat(aws.target(SEED_TARGET)).isPresent();
    assertThat(aws.policies(SEED_TARGET)).hasSize(5);
    assertThat(statusPatches).isEmpty();
  }

  @Test
  void aSwitchAnnotationWithAMeaninglessValueIsWarnedAboutOncePerValue() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    resource.getMetadata().getAnnotations().put(Annotations.PAUSED, "yes");

    pass(resource, resource);
    pass(resource, resource);
    resource.getMetadata().setGeneration(2L);
    pass(resource, resource);

    assertThat(events)
        .filteredOn(e -> e.getReason().equals("InvalidAnnotation"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains(Annotations.PAUSED).contains("\"yes\"");
            });
    assertThat(reason(resource)).as("not paused: only true pauses").contains(Reason.Converged);

    resource.getMetadata().getAnnotations().put(Annotations.PAUSED, "no");
    pass(resource, resource);
    resource.getMetadata().getAnnotations().put(Annotations.PAUSED, "false");
    pass(resource, resource);

    assertThat(events)
        .filteredOn(e -> e.getReason().equals("InvalidAnnotation"))
        .extracting(Event::getMessage)
        .hasSize(2)
        .last()
        .asString()
        .contains("\"no\"");
  }

  @Test
  void aPassBeyondItsNamespacesShareOfThreadsIsDeferredWithoutTouchingAwsOrStatus() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    pass(resource, resource);
    aws.clearCalls();
    apisAskedFor.clear();
    events.clear();
    long passes = meters.get("smsp_reconcile").timers().stream().mapToLong(t -> t.count()).sum();
    String namespace = resource.getMetadata().getNamespace();
    PassAdmission admission = reconciler.admission();
    int held = 0;
    while (admission.tryEnter(namespace)) {
      held++; // the namespace's burst, sleeping in the AWS pacing on the other threads
    }
    assertThat(held).as("all 10 default threads but the one left for others").isEqualTo(9);
    resource.getSpec().setMaxCapacity(7); // a change the pass would write to AWS

    UpdateControl<SageMakerScalingPolicy> deferred =
        reconciler.reconcile(resource, () -> Stream.of(resource));
    DeleteControl deferredDeletion = reconciler.cleanup(resource, statusPatches::add);

    assertThat(deferred.isNoUpdate()).as("no status write").isTrue();
    assertThat(deferred.getScheduleDelay())
        .hasValueSatisfying(ms -> assertThat(ms).isBetween(1_000L, 2_000L));
    assertThat(deferredDeletion.isRemoveFinalizer()).isFalse();
    assertThat(deferredDeletion.getScheduleDelay())
        .hasValueSatisfying(ms -> assertThat(ms).isBetween(1_000L, 2_000L));
    assertThat(aws.calls()).as("no AWS call").isEmpty();
    assertThat(apisAskedFor).isEmpty();
    assertThat(statusPatches).isEmpty();
    assertThat(events).isEmpty();
    assertThat(meters.get("smsp_reconcile").timers().stream().mapToLong(t -> t.count()).sum())
        .as("a deferral is not a pass")
        .isEqualTo(passes);
    assertThat(meters.get("smsp_passes_deferred").tag("namespace", namespace).counter().count())
        .as("the pass and the deletion, and the ask that ended the burst above")
        .isEqualTo(3);

    SageMakerScalingPolicy newcomer = Fixtures.seed();
    newcomer.getMetadata().setNamespace("other-team");
    newcomer.getMetadata().setName("newcomer");
    pass(newcomer, newcomer);
    assertThat(reason(newcomer)).as("another namespace still gets a thread").isNotEmpty();

    admission.leave(namespace);
    pass(resource, resource);
    assertThat(aws.writes()).as("admitted again once a thread frees").isNotEmpty();
    assertThat(admission.inFlight(namespace))
        .as("the pass released its thread")
        .isEqualTo(held - 1);
  }
}
