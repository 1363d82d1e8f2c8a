package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.reconcile.Fixtures.SEED_TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.Annotations;
import dev.sagemaker.autoscaling.api.v1alpha1.AwsSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.AwsErrorKind;
import dev.sagemaker.autoscaling.aws.ScalingApi;
import dev.sagemaker.autoscaling.aws.ScalingApis;
import dev.sagemaker.autoscaling.fake.FakeScalingApi;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants;
import dev.sagemaker.autoscaling.tenancy.SessionIdentity;
import dev.sagemaker.autoscaling.tenancy.TenancyMode;
import io.fabric8.kubernetes.api.model.Event;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The flow of whole passes, against the in-memory AWS and without an API server. */
class SageMakerScalingPolicyReconcilerTest {
  private final Fixtures.ManualClock clock = new Fixtures.ManualClock("2026-03-01T10:00:00Z");
  private final FakeScalingApi aws = Fixtures.awsWithSeedEndpoint();
  private final List<Event> events = new ArrayList<>();
  private final List<String> apisAskedFor = new ArrayList<>();
  private Optional<String> defaultRegion = Optional.of(Fixtures.REGION);

  /**
   * Namespace annotations by namespace; one not listed grants everything, so the other tests need
   * no grants.
   */
  private final Map<String, Map<String, String>> namespaceAnnotations = new HashMap<>();

  private final SageMakerScalingPolicyReconciler reconciler =
      newReconciler(
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
                          "true"))));

  private SageMakerScalingPolicyReconciler newReconciler(TenancyGate tenancy) {
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
        Converger::new,
        new StatusBuilder(clock),
        new EventRecorder(events::add, clock),
        ReconcilerSettings.defaults("test", Duration.ofMinutes(5)),
        new ReconcileMetrics(new SimpleMeterRegistry()),
        tenancy,
        new Inventory(
            clock,
            Duration.ofMinutes(5),
            "smsp_test_",
            Executors.newSingleThreadScheduledExecutor()),
        new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), bound -> bound));
  }

  @AfterEach
  void close() {
    reconciler.close();
  }

  /** Runs a pass and applies its status patch to the resource, as the API server would. */
  private UpdateControl<SageMakerScalingPolicy> pass(
      SageMakerScalingPolicy resource, SageMakerScalingPolicy... all) {
    UpdateControl<SageMakerScalingPolicy> control =
        reconciler.reconcile(resource, () -> Stream.of(all));
    assertThat(control.isPatchStatus()).isTrue();
    resource.setStatus(control.getResource().orElseThrow().getStatus());
    return control;
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

    aws.clearCalls();
    clock.advance(Duration.ofMinutes(5));
    pass(resource, resource);

    assertThat(reason(resource)).contains(Reason.Converged);
    assertThat(aws.writes()).isEmpty();
    assertThat(events).as("a quiet resync records no Event").hasSize(1);
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
    aws.failNext(2, AwsErrorKind.RECOVERABLE);

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
    aws.failNext(1, AwsErrorKind.TERMINAL);

    UpdateControl<SageMakerScalingPolicy> control = pass(resource, resource);

    assertThat(reason(resource)).contains(Reason.AwsRejected);
    assertThat(control.getScheduleDelay()).isEmpty();
    assertThat(events).extracting(Event::getType).containsExactly("Warning");
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

    DeleteControl deleted = reconciler.cleanup(older, null);
    assertThat(deleted.isRemoveFinalizer()).isTrue();
    assertThat(aws.writes()).isEmpty();
    assertThat(aws.policies(SEED_TARGET)).hasSize(5);
    assertThat(aws.alarmNames()).hasSize(2);

    reconciler.cleanup(holder, null);
    assertThat(aws.target(SEED_TARGET)).isEmpty();
    assertThat(aws.alarmNames()).isEmpty();
  }

  @Test
  void deletionRemovesEverythingAndRetriesAFailedCleanup() {
    SageMakerScalingPolicy resource = Fixtures.seed();
    pass(resource, resource);
    aws.failNext(1, AwsErrorKind.RECOVERABLE);

    DeleteControl failed = reconciler.cleanup(resource, null);

    assertThat(failed.isRemoveFinalizer()).isFalse();
    assertThat(failed.getScheduleDelay()).isPresent();
    assertThat(events).extracting(Event::getReason).endsWith("CleanupFailed");

    DeleteControl done = reconciler.cleanup(resource, null);

    assertThat(done.isRemoveFinalizer()).isTrue();
    assertThat(aws.target(SEED_TARGET)).isEmpty();
    assertThat(aws.alarmNames()).isEmpty();
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
}
