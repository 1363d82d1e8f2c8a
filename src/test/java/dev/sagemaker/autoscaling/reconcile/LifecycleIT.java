package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.condition;
import static dev.sagemaker.autoscaling.testing.OperatorHarness.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.DeletionPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduleSpec;
import dev.sagemaker.autoscaling.testing.AwsProxy;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;

/** Deletion, ownership, drift, endpoint changes and AWS faults, on the real API server and moto. */
class LifecycleIT {
  private static final Duration RESYNC = Duration.ofSeconds(3);

  @RegisterExtension
  final OperatorExtension fixture = OperatorExtension.operator(RESYNC).throughProxy();

  private int awsObjects() {
    return fixture.awsObjects().count();
  }

  @Test
  void everyResourceConvergesThroughInjectedFaultsWithoutDuplicates() {
    fixture
        .proxy()
        .injectFaults(new AwsProxy.Faults(0.15, 0.10, 0.10, 0.05, Duration.ofMillis(300), 42));
    int count = 5;
    for (int i = 0; i < count; i++) {
      fixture.seed("r" + i, "ep-" + i);
    }
    for (int i = 0; i < count; i++) {
      fixture.awaitReady("r" + i);
    }
    Map<String, Long> faults = fixture.proxy().injectedFaults();
    System.out.printf(
        "faults injected: %s; AWS calls through the proxy: %s%n", faults, fixture.proxy().calls());
    assertThat(faults.values().stream().mapToLong(Long::longValue).sum()).isPositive();
    assertThat(fixture.moto().targets()).hasSize(count);
    assertThat(fixture.moto().policies()).hasSize(5 * count);
    assertThat(fixture.moto().alarms()).hasSize(2 * count);
    for (int i = 0; i < count; i++) {
      String prefix = fixture.awsPrefix("r" + i);
      assertThat(fixture.moto().policies().stream().filter(p -> p.policyName().startsWith(prefix)))
          .hasSize(5);
      // Each alarm points at its own policy's current ARN, even when a put was retried.
      fixture.moto().alarms().stream()
          .filter(a -> a.alarmName().startsWith(prefix))
          .forEach(
              a ->
                  assertThat(a.alarmActions())
                      .containsExactly(
                          fixture.moto().policies().stream()
                              .filter(p -> p.policyName().equals(a.alarmName()))
                              .findFirst()
                              .orElseThrow()
                              .policyARN()));
    }
  }

  @Test
  void fiftyCreateUpdateDeleteCyclesLeaveNothingBehind() throws Exception {
    int resources = 5;
    int cyclesEach = 10;
    for (int i = 0; i < resources; i++) {
      fixture.moto().createEndpoint("cycle-" + i, "prod", "ml.c5.2xlarge", 1);
    }
    ExecutorService pool = Executors.newFixedThreadPool(resources);
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < resources; i++) {
      int index = i;
      runs.add(
          pool.submit(
              () -> {
                for (int cycle = 0; cycle < cyclesEach; cycle++) {
                  String name = "c" + index + "-" + cycle;
                  SageMakerScalingPolicy r = fixture.seedManifest(name, "cycle-" + index);
                  if (cycle % 2 == 1) {
                    r.getSpec().getSchedules().add(schedule("night"));
                  }
                  fixture.create(r);
                  fixture.awaitReady(name);
                  fixture.update(
                      name,
                      x -> {
                        x.getSpec()
                            .getTargetTracking()
                            .get(0)
                            .setTargetValue(500.0 + x.getMetadata().getGeneration());
                        x.getSpec().getStepScaling().clear();
                      });
                  fixture.deleteAndAwaitGone(name);
                }
                return null;
              }));
    }
    for (Future<?> run : runs) {
      run.get();
    }
    pool.shutdown();
    assertThat(fixture.moto().targets()).isEmpty();
    assertThat(fixture.moto().policies()).isEmpty();
    assertThat(fixture.moto().alarms()).isEmpty();
    assertThat(fixture.moto().scheduledActions()).isEmpty();
    System.out.printf(
        "%d create/update/delete cycles over %d resources: %d AWS objects left%n",
        resources * cyclesEach, resources, awsObjects());
  }

  private static ScheduleSpec schedule(String name) {
    ScheduleSpec s = new ScheduleSpec();
    s.setName(name);
    s.setSchedule("cron(0 20 * * ? *)");
    s.setTimezone("Europe/Berlin");
    s.setMinCapacity(1);
    s.setMaxCapacity(1);
    return s;
  }

  @Test
  void retainLeavesAwsAsItIs() {
    fixture.seed("keep", "keep", r -> r.getSpec().setDeletionPolicy(DeletionPolicy.Retain));
    fixture.awaitReady("keep");
    int before = awsObjects();
    fixture.deleteAndAwaitGone("keep");
    assertThat(awsObjects()).isEqualTo(before).isEqualTo(1 + 5 + 2);
  }

  @Test
  void aForeignPolicyOnTheSameTargetSurvivesReconcilesAndDeletion() {
    fixture.seed("shared", "shared");
    fixture.awaitReady("shared");
    fixture
        .moto()
        .autoScaling
        .putScalingPolicy(
            p ->
                p.policyName("team-x-invocations")
                    .serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId("endpoint/shared/variant/prod")
                    .scalableDimension("sagemaker:variant:DesiredInstanceCount")
                    .policyType("TargetTrackingScaling")
                    .targetTrackingScalingPolicyConfiguration(
                        c ->
                            c.targetValue(42.0)
                                .predefinedMetricSpecification(
                                    m ->
                                        m.predefinedMetricType(
                                            "SageMakerVariantInvocationsPerInstance"))));
    long writes = fixture.proxy().writes();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(fixture.get("shared").getStatus().getForeignObjects())
                    .containsExactly("team-x-invocations"));
    await()
        .during(Duration.ofSeconds(2 * RESYNC.toSeconds()))
        .atMost(Duration.ofSeconds(20))
        .until(() -> fixture.proxy().writes() == writes);

    fixture.deleteAndAwaitGone("shared");
    assertThat(fixture.moto().policies())
        .extracting(p -> p.policyName())
        .containsExactly("team-x-invocations");
    assertThat(fixture.moto().alarms()).isEmpty();
    assertThat(fixture.moto().targets())
        .as("deregistering would delete the foreign policy")
        .hasSize(1);
  }

  @Test
  void aSecondResourceForTheSameTargetIsAConflictAndWritesNothing() {
    fixture.seed("first", "contested");
    fixture.awaitReady("first");
    long writes = fixture.proxy().writes();
    fixture.create(fixture.seedManifest("second", "contested"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(condition(fixture.get("second"), "Stalled"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getReason()).isEqualTo("Conflict");
                          assertThat(c.getMessage()).contains(fixture.namespace() + "/first");
                        }));
    assertThat(fixture.proxy().writes()).isEqualTo(writes);
    fixture.deleteAndAwaitGone("second");
    assertThat(awsObjects())
        .as("deleting the loser removes nothing of the winner")
        .isEqualTo(1 + 5 + 2);
    assertThat(isTrue(fixture.get("first"), "Ready")).isTrue();
  }

  @Test
  void twoResourcesAppliedTogetherForOneTargetEndWithOneOwnerAndDeletingBothLeavesNothing() {
    fixture.moto().createEndpoint("together", "prod", "ml.c5.2xlarge", 1);
    fixture.create(fixture.seedManifest("left", "together"));
    fixture.create(fixture.seedManifest("right", "together"));

    List<String> names = List.of("left", "right");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(names)
                    .extracting(
                        n -> condition(fixture.get(n), "Ready").map(c -> c.getReason()).orElse(""))
                    .containsExactlyInAnyOrder("Converged", "Conflict"));
    String owner = names.stream().filter(fixture::isReady).findFirst().orElseThrow();
    SageMakerScalingPolicy winner = fixture.get(owner);
    SageMakerScalingPolicy loser = fixture.get(owner.equals("left") ? "right" : "left");
    String arn = fixture.moto().targets().get(0).scalableTargetARN();
    assertThat(fixture.moto().autoScaling.listTagsForResource(t -> t.resourceARN(arn)).tags())
        .as("AWS names the one owner")
        .containsEntry(
            "autoscaling.sagemaker.dev/owner",
            "test/" + fixture.namespace() + "/" + owner + "/" + winner.getMetadata().getUid());
    assertThat(loser.getStatus().getResourceId()).as("the loser holds nothing").isNull();
    String winnerPrefix = fixture.awsPrefix(owner);
    assertThat(fixture.moto().policies())
        .hasSize(5)
        .allSatisfy(p -> assertThat(p.policyName()).startsWith(winnerPrefix));
    assertThat(fixture.moto().alarms())
        .hasSize(2)
        .allSatisfy(a -> assertThat(a.alarmName()).startsWith(winnerPrefix));

    fixture.deleteAndAwaitGone(loser.getMetadata().getName());
    assertThat(awsObjects()).as("the loser's deletion removes nothing").isEqualTo(1 + 5 + 2);
    fixture.deleteAndAwaitGone(owner);
    assertThat(awsObjects()).isZero();
  }

  @Test
  void aTargetRegisteredByAnotherToolIsTakenOverOnlyWhenAsked() {
    fixture.moto().createEndpoint("legacy", "prod", "ml.c5.2xlarge", 1);
    fixture
        .moto()
        .autoScaling
        .registerScalableTarget(
            t ->
                t.serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId("endpoint/legacy/variant/prod")
                    .scalableDimension("sagemaker:variant:DesiredInstanceCount")
                    .minCapacity(2)
                    .maxCapacity(4));
    fixture.create(fixture.seedManifest("legacy", "legacy"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(condition(fixture.get("legacy"), "Stalled"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getReason()).isEqualTo("Conflict");
                          assertThat(c.getMessage())
                              .contains("already registered")
                              .contains("autoscaling.sagemaker.dev/adopt");
                        }));
    assertThat(fixture.moto().targets())
        .singleElement()
        .satisfies(t -> assertThat(t.minCapacity()).isEqualTo(2));
    assertThat(fixture.moto().policies()).isEmpty();

    SageMakerScalingPolicy r = fixture.get("legacy");
    r.getMetadata().getAnnotations().put("autoscaling.sagemaker.dev/adopt", "true");
    fixture.client().resource(r).update();
    fixture.awaitReady("legacy");
    assertThat(fixture.moto().targets())
        .singleElement()
        .satisfies(t -> assertThat(t.minCapacity()).isEqualTo(1));
    String arn = fixture.moto().targets().get(0).scalableTargetARN();
    assertThat(fixture.moto().autoScaling.listTagsForResource(t -> t.resourceARN(arn)).tags())
        .containsEntry(
            "autoscaling.sagemaker.dev/owner",
            "test/" + fixture.namespace() + "/legacy/" + r.getMetadata().getUid());
  }

  @Test
  void outOfBandChangesAreRestoredWithinOneResync() {
    fixture.seed("drifty", "drifty", r -> r.getSpec().getSchedules().add(schedule("night")));
    fixture.awaitReady("drifty");
    String prefix = fixture.awsPrefix("drifty");
    Map<String, Double> thresholds = new HashMap<>();
    fixture.moto().alarms().forEach(a -> thresholds.put(a.alarmName(), a.threshold()));

    fixture
        .moto()
        .autoScaling
        .registerScalableTarget(
            t ->
                t.serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId("endpoint/drifty/variant/prod")
                    .scalableDimension("sagemaker:variant:DesiredInstanceCount")
                    .minCapacity(7)
                    .maxCapacity(9)
                    .suspendedState(s -> s.dynamicScalingInSuspended(true)));
    fixture
        .moto()
        .autoScaling
        .deleteScalingPolicy(
            p ->
                p.policyName(prefix + "memory")
                    .serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId("endpoint/drifty/variant/prod")
                    .scalableDimension("sagemaker:variant:DesiredInstanceCount"));
    fixture.moto().cloudWatch.deleteAlarms(a -> a.alarmNames(prefix + "cpu-steps_upper"));
    fixture
        .moto()
        .autoScaling
        .deleteScheduledAction(
            a ->
                a.scheduledActionName(prefix + "night")
                    .serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId("endpoint/drifty/variant/prod")
                    .scalableDimension("sagemaker:variant:DesiredInstanceCount"));

    await()
        .atMost(RESYNC.multipliedBy(4))
        .untilAsserted(
            () -> {
              assertThat(fixture.moto().targets())
                  .singleElement()
                  .satisfies(
                      t -> {
                        assertThat(t.minCapacity()).isEqualTo(1);
                        assertThat(t.maxCapacity()).isEqualTo(3);
                        assertThat(t.suspendedState().dynamicScalingInSuspended()).isFalse();
                      });
              assertThat(fixture.moto().policies()).hasSize(5);
              assertThat(fixture.moto().alarms())
                  .hasSize(2)
                  .allSatisfy(
                      a -> assertThat(a.threshold()).isEqualTo(thresholds.get(a.alarmName())));
              assertThat(fixture.moto().scheduledActions()).hasSize(1);
            });
    // The Event follows the writes it reports.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<Event> events = fixture.events();
              assertThat(events)
                  .anySatisfy(
                      e -> {
                        assertThat(e.getReason()).isEqualTo("DriftCorrected");
                        assertThat(e.getMessage())
                            .contains("PutScalingPolicy " + prefix + "memory");
                      });
            });
  }

  @Test
  void pausedResourcesAreNeitherReadNorWritten() throws InterruptedException {
    fixture.seed("paused", "paused");
    fixture.awaitReady("paused");
    SageMakerScalingPolicy r = fixture.get("paused");
    r.getMetadata().getAnnotations().put("autoscaling.sagemaker.dev/paused", "true");
    fixture.client().resource(r).update();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "Paused"
                    .equals(condition(fixture.get("paused"), "Ready").orElseThrow().getReason()));
    fixture
        .moto()
        .autoScaling
        .registerScalableTarget(
            t ->
                t.serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId("endpoint/paused/variant/prod")
                    .scalableDimension("sagemaker:variant:DesiredInstanceCount")
                    .minCapacity(2));
    // Let a background inventory read that began before the pause finish, then expect silence.
    Thread.sleep(RESYNC.toMillis());
    Map<String, Long> calls = fixture.proxy().calls();
    await()
        .during(RESYNC.multipliedBy(2))
        .atMost(RESYNC.multipliedBy(4))
        .until(() -> fixture.proxy().calls().equals(calls));

    r = fixture.get("paused");
    r.getMetadata().getAnnotations().remove("autoscaling.sagemaker.dev/paused");
    fixture.client().resource(r).update();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> fixture.moto().targets().get(0).minCapacity() == 1);
    fixture.awaitReady("paused");
  }

  @Test
  void theDeregisterAnnotationClearsAwsForAnInstanceTypeChangeAndRegistersAgainAfter() {
    fixture.seed("resize", "resize");
    fixture.awaitReady("resize");
    SageMakerScalingPolicy r = fixture.get("resize");
    r.getMetadata().getAnnotations().put("autoscaling.sagemaker.dev/deregister", "true");
    fixture.client().resource(r).update();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(awsObjects()).isZero();
              assertThat(condition(fixture.get("resize"), "Ready"))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getReason()).isEqualTo("Paused");
                        assertThat(c.getMessage()).contains("remove the annotation");
                      });
            });
    // Held: a resync writes nothing back while the endpoint is being updated.
    long writes = fixture.proxy().writes();
    await()
        .during(RESYNC.multipliedBy(2))
        .atMost(RESYNC.multipliedBy(3))
        .until(() -> fixture.proxy().writes() == writes);

    r = fixture.get("resize");
    r.getMetadata().getAnnotations().remove("autoscaling.sagemaker.dev/deregister");
    fixture.client().resource(r).update();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                awsObjects() == 1 + 5 + 2
                    && isTrue(fixture.get("resize"), "Ready")
                    && "Converged"
                        .equals(
                            condition(fixture.get("resize"), "Ready").orElseThrow().getReason()));
  }

  @Test
  void anEndpointThatIsUpdatingIsWaitedFor() {
    fixture.moto().createEndpoint("busy", "prod", "ml.c5.2xlarge", 1);
    fixture.moto().setEndpointStatus("busy", "Updating");
    fixture.create(fixture.seedManifest("busy", "busy"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(condition(fixture.get("busy"), "Reconciling"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getReason()).isEqualTo("EndpointNotInService");
                          assertThat(c.getMessage()).contains("Updating");
                        }));
    assertThat(fixture.moto().targets()).isEmpty();
    fixture.moto().setEndpointStatus("busy", null);
    fixture.awaitReady("busy");
  }

  @Test
  void anEndpointDeletedAndRecreatedIsRegisteredAgain() {
    fixture.seed("phoenix", "phoenix");
    fixture.awaitReady("phoenix");
    // What AWS does when an autoscaled endpoint is deleted: the endpoint goes, and Application Auto
    // Scaling deregisters its target, which deletes the policies (moto does neither on its own).
    fixture.moto().sageMaker.deleteEndpoint(e -> e.endpointName("phoenix"));
    fixture
        .moto()
        .policies()
        .forEach(
            p ->
                fixture
                    .moto()
                    .autoScaling
                    .deleteScalingPolicy(
                        d ->
                            d.policyName(p.policyName())
                                .serviceNamespace(ServiceNamespace.SAGEMAKER)
                                .resourceId(p.resourceId())
                                .scalableDimension(p.scalableDimension())));
    fixture
        .moto()
        .autoScaling
        .deregisterScalableTarget(
            t ->
                t.serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId("endpoint/phoenix/variant/prod")
                    .scalableDimension("sagemaker:variant:DesiredInstanceCount"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(condition(fixture.get("phoenix"), "Reconciling"))
                    .hasValueSatisfying(
                        c -> assertThat(c.getReason()).isEqualTo("EndpointNotFound")));

    fixture
        .moto()
        .sageMaker
        .createEndpoint(e -> e.endpointName("phoenix").endpointConfigName("phoenix-config"));
    fixture.awaitReady("phoenix");
    assertThat(fixture.moto().targets()).hasSize(1);
    assertThat(fixture.moto().policies()).hasSize(5);
  }

  @Test
  void deletionFinishesWhenTheEndpointAndTargetAreAlreadyGone() {
    fixture.seed("gone", "gone");
    fixture.awaitReady("gone");
    fixture.moto().sageMaker.deleteEndpoint(e -> e.endpointName("gone"));
    fixture
        .moto()
        .autoScaling
        .deregisterScalableTarget(
            t ->
                t.serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId("endpoint/gone/variant/prod")
                    .scalableDimension("sagemaker:variant:DesiredInstanceCount"));
    fixture.deleteAndAwaitGone("gone");
    assertThat(fixture.moto().alarms())
        .as("alarms outlive their target in AWS; deletion removes them")
        .isEmpty();
  }
}
