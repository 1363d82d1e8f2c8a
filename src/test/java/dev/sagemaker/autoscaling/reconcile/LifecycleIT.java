package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.condition;
import static dev.sagemaker.autoscaling.testing.OperatorHarness.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.DeletionPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduleSpec;
import dev.sagemaker.autoscaling.testing.AwsProxy;
import dev.sagemaker.autoscaling.testing.Examples;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorHarness;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;

/** Deletion, ownership, drift, endpoint changes and AWS faults, on the real API server and moto. */
@ExtendWith(TestEnvironment.class)
class LifecycleIT {
  private static final Duration RESYNC = Duration.ofSeconds(3);
  private OperatorHarness operator;
  private Moto moto;
  private AwsProxy proxy;

  @BeforeEach
  void start() throws Exception {
    TestEnvironment.resetMoto();
    moto = new Moto(TestEnvironment.motoEndpoint());
    proxy = new AwsProxy(TestEnvironment.motoEndpoint());
    operator = OperatorHarness.start(RESYNC, proxy.endpoint());
  }

  @AfterEach
  void stop() {
    operator.close();
    proxy.close();
    moto.close();
  }

  private SageMakerScalingPolicy seed(String name, String endpoint) {
    SageMakerScalingPolicy r = Examples.load(Path.of("examples/realtime-seed.yaml"), operator.namespace);
    r.getMetadata().setName(name);
    r.getSpec().getTarget().setEndpointName(endpoint);
    return r;
  }

  private SageMakerScalingPolicy create(SageMakerScalingPolicy resource) {
    return TestEnvironment.client().resource(resource).create();
  }

  private void awaitReady(String name) {
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
        assertThat(condition(operator.get(name), "Ready")).hasValueSatisfying(c ->
            assertThat(c.getStatus()).as(c.getReason() + ": " + c.getMessage()).isEqualTo("True")));
  }

  private void update(String name, Consumer<SageMakerScalingPolicy> change) {
    SageMakerScalingPolicy current = operator.get(name);
    change.accept(current);
    long generation = TestEnvironment.client().resource(current).update().getMetadata().getGeneration();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      SageMakerScalingPolicy r = operator.get(name);
      return r.getStatus().getObservedGeneration() == generation && isTrue(r, "Ready");
    });
  }

  private void deleteAndAwaitGone(String name) {
    TestEnvironment.client().resources(SageMakerScalingPolicy.class).inNamespace(operator.namespace).withName(name).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> operator.get(name) == null);
  }

  private int awsObjects() {
    return moto.targets().size() + moto.policies().size() + moto.alarms().size() + moto.scheduledActions().size();
  }

  @Test
  void everyResourceConvergesThroughInjectedFaultsWithoutDuplicates() {
    proxy.injectFaults(new AwsProxy.Faults(0.15, 0.10, 0.10, 0.05, Duration.ofMillis(300), 42));
    int count = 5;
    for (int i = 0; i < count; i++) {
      moto.createEndpoint("ep-" + i, "prod", "ml.c5.2xlarge", 1);
      create(seed("r" + i, "ep-" + i));
    }
    for (int i = 0; i < count; i++) {
      awaitReady("r" + i);
    }
    Map<String, Long> faults = proxy.injectedFaults();
    System.out.printf("faults injected: %s; AWS calls through the proxy: %s%n", faults, proxy.calls());
    assertThat(faults.values().stream().mapToLong(Long::longValue).sum()).isPositive();
    assertThat(moto.targets()).hasSize(count);
    assertThat(moto.policies()).hasSize(5 * count);
    assertThat(moto.alarms()).hasSize(2 * count);
    for (int i = 0; i < count; i++) {
      String prefix = "smsp_test_" + operator.namespace + "_r" + i + "_";
      assertThat(moto.policies().stream().filter(p -> p.policyName().startsWith(prefix))).hasSize(5);
      // Each alarm points at its own policy's current ARN, even when a put was retried.
      moto.alarms().stream().filter(a -> a.alarmName().startsWith(prefix)).forEach(a ->
          assertThat(a.alarmActions()).containsExactly(moto.policies().stream()
              .filter(p -> p.policyName().equals(a.alarmName())).findFirst().orElseThrow().policyARN()));
    }
  }

  @Test
  void fiftyCreateUpdateDeleteCyclesLeaveNothingBehind() throws Exception {
    int resources = 5;
    int cyclesEach = 10;
    for (int i = 0; i < resources; i++) {
      moto.createEndpoint("cycle-" + i, "prod", "ml.c5.2xlarge", 1);
    }
    ExecutorService pool = Executors.newFixedThreadPool(resources);
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < resources; i++) {
      int index = i;
      runs.add(pool.submit(() -> {
        for (int cycle = 0; cycle < cyclesEach; cycle++) {
          String name = "c" + index + "-" + cycle;
          SageMakerScalingPolicy r = seed(name, "cycle-" + index);
          if (cycle % 2 == 1) {
            r.getSpec().getSchedules().add(schedule("night"));
          }
          create(r);
          awaitReady(name);
          update(name, x -> {
            x.getSpec().getTargetTracking().get(0).setTargetValue(500.0 + x.getMetadata().getGeneration());
            x.getSpec().getStepScaling().clear();
          });
          deleteAndAwaitGone(name);
        }
        return null;
      }));
    }
    for (Future<?> run : runs) {
      run.get();
    }
    pool.shutdown();
    assertThat(moto.targets()).isEmpty();
    assertThat(moto.policies()).isEmpty();
    assertThat(moto.alarms()).isEmpty();
    assertThat(moto.scheduledActions()).isEmpty();
    System.out.printf("%d create/update/delete cycles over %d resources: %d AWS objects left%n",
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
    moto.createEndpoint("keep", "prod", "ml.c5.2xlarge", 1);
    SageMakerScalingPolicy r = seed("keep", "keep");
    r.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    create(r);
    awaitReady("keep");
    int before = awsObjects();
    deleteAndAwaitGone("keep");
    assertThat(awsObjects()).isEqualTo(before).isEqualTo(1 + 5 + 2);
  }

  @Test
  void aForeignPolicyOnTheSameTargetSurvivesReconcilesAndDeletion() {
    moto.createEndpoint("shared", "prod", "ml.c5.2xlarge", 1);
    create(seed("shared", "shared"));
    awaitReady("shared");
    moto.autoScaling.putScalingPolicy(p -> p.policyName("team-x-invocations").serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("endpoint/shared/variant/prod").scalableDimension("sagemaker:variant:DesiredInstanceCount")
        .policyType("TargetTrackingScaling")
        .targetTrackingScalingPolicyConfiguration(c -> c.targetValue(42.0)
            .predefinedMetricSpecification(m -> m.predefinedMetricType("SageMakerVariantInvocationsPerInstance"))));
    long writes = proxy.writes();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(operator.get("shared").getStatus().getForeignObjects()).containsExactly("team-x-invocations"));
    await().during(Duration.ofSeconds(2 * RESYNC.toSeconds())).atMost(Duration.ofSeconds(20)).until(() -> proxy.writes() == writes);

    deleteAndAwaitGone("shared");
    assertThat(moto.policies()).extracting(p -> p.policyName()).containsExactly("team-x-invocations");
    assertThat(moto.alarms()).isEmpty();
    assertThat(moto.targets()).as("deregistering would delete the foreign policy").hasSize(1);
  }

  @Test
  void aSecondResourceForTheSameTargetIsAConflictAndWritesNothing() {
    moto.createEndpoint("contested", "prod", "ml.c5.2xlarge", 1);
    create(seed("first", "contested"));
    awaitReady("first");
    long writes = proxy.writes();
    create(seed("second", "contested"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(condition(operator.get("second"), "Stalled")).hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("Conflict");
          assertThat(c.getMessage()).contains(operator.namespace + "/first");
        }));
    assertThat(proxy.writes()).isEqualTo(writes);
    deleteAndAwaitGone("second");
    assertThat(awsObjects()).as("deleting the loser removes nothing of the winner").isEqualTo(1 + 5 + 2);
    assertThat(isTrue(operator.get("first"), "Ready")).isTrue();
  }

  @Test
  void aTargetRegisteredByAnotherToolIsTakenOverOnlyWhenAsked() {
    moto.createEndpoint("legacy", "prod", "ml.c5.2xlarge", 1);
    moto.autoScaling.registerScalableTarget(t -> t.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("endpoint/legacy/variant/prod").scalableDimension("sagemaker:variant:DesiredInstanceCount")
        .minCapacity(2).maxCapacity(4));
    create(seed("legacy", "legacy"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(condition(operator.get("legacy"), "Stalled")).hasValueSatisfying(c -> {
          assertThat(c.getReason()).isEqualTo("Conflict");
          assertThat(c.getMessage()).contains("already registered").contains("autoscaling.sagemaker.dev/adopt");
        }));
    assertThat(moto.targets()).singleElement().satisfies(t -> assertThat(t.minCapacity()).isEqualTo(2));
    assertThat(moto.policies()).isEmpty();

    SageMakerScalingPolicy r = operator.get("legacy");
    r.getMetadata().getAnnotations().put("autoscaling.sagemaker.dev/adopt", "true");
    TestEnvironment.client().resource(r).update();
    awaitReady("legacy");
    assertThat(moto.targets()).singleElement().satisfies(t -> assertThat(t.minCapacity()).isEqualTo(1));
    String arn = moto.targets().get(0).scalableTargetARN();
    assertThat(moto.autoScaling.listTagsForResource(t -> t.resourceARN(arn)).tags())
        .containsEntry("autoscaling.sagemaker.dev/owner", "test/" + operator.namespace + "/legacy");
  }

  @Test
  void outOfBandChangesAreRestoredWithinOneResync() {
    moto.createEndpoint("drifty", "prod", "ml.c5.2xlarge", 1);
    SageMakerScalingPolicy r = seed("drifty", "drifty");
    r.getSpec().getSchedules().add(schedule("night"));
    create(r);
    awaitReady("drifty");
    String prefix = "smsp_test_" + operator.namespace + "_drifty_";
    Map<String, Double> thresholds = new HashMap<>();
    moto.alarms().forEach(a -> thresholds.put(a.alarmName(), a.threshold()));

    moto.autoScaling.registerScalableTarget(t -> t.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("endpoint/drifty/variant/prod").scalableDimension("sagemaker:variant:DesiredInstanceCount")
        .minCapacity(7).maxCapacity(9).suspendedState(s -> s.dynamicScalingInSuspended(true)));
    moto.autoScaling.deleteScalingPolicy(p -> p.policyName(prefix + "memory").serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("endpoint/drifty/variant/prod").scalableDimension("sagemaker:variant:DesiredInstanceCount"));
    moto.cloudWatch.deleteAlarms(a -> a.alarmNames(prefix + "cpu-steps_upper"));
    moto.autoScaling.deleteScheduledAction(a -> a.scheduledActionName(prefix + "night").serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("endpoint/drifty/variant/prod").scalableDimension("sagemaker:variant:DesiredInstanceCount"));

    await().atMost(RESYNC.multipliedBy(4)).untilAsserted(() -> {
      assertThat(moto.targets()).singleElement().satisfies(t -> {
        assertThat(t.minCapacity()).isEqualTo(1);
        assertThat(t.maxCapacity()).isEqualTo(3);
        assertThat(t.suspendedState().dynamicScalingInSuspended()).isFalse();
      });
      assertThat(moto.policies()).hasSize(5);
      assertThat(moto.alarms()).hasSize(2).allSatisfy(a -> assertThat(a.threshold()).isEqualTo(thresholds.get(a.alarmName())));
      assertThat(moto.scheduledActions()).hasSize(1);
    });
    // The Event follows the writes it reports.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<Event> events = TestEnvironment.client().v1().events().inNamespace(operator.namespace).list().getItems();
      assertThat(events).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("DriftCorrected");
        assertThat(e.getMessage()).contains("PutScalingPolicy " + prefix + "memory");
      });
    });
  }

  @Test
  void pausedResourcesAreNeitherReadNorWritten() throws InterruptedException {
    moto.createEndpoint("paused", "prod", "ml.c5.2xlarge", 1);
    create(seed("paused", "paused"));
    awaitReady("paused");
    SageMakerScalingPolicy r = operator.get("paused");
    r.getMetadata().getAnnotations().put("autoscaling.sagemaker.dev/paused", "true");
    TestEnvironment.client().resource(r).update();
    await().atMost(Duration.ofSeconds(20)).until(() -> "Paused".equals(condition(operator.get("paused"), "Ready").orElseThrow().getReason()));
    moto.autoScaling.registerScalableTarget(t -> t.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("endpoint/paused/variant/prod").scalableDimension("sagemaker:variant:DesiredInstanceCount").minCapacity(2));
    // Let a background inventory read that began before the pause finish, then expect silence.
    Thread.sleep(RESYNC.toMillis());
    Map<String, Long> calls = proxy.calls();
    await().during(RESYNC.multipliedBy(2)).atMost(RESYNC.multipliedBy(4)).until(() -> proxy.calls().equals(calls));

    r = operator.get("paused");
    r.getMetadata().getAnnotations().remove("autoscaling.sagemaker.dev/paused");
    TestEnvironment.client().resource(r).update();
    await().atMost(Duration.ofSeconds(20)).until(() -> moto.targets().get(0).minCapacity() == 1);
    awaitReady("paused");
  }

  @Test
  void theDeregisterAnnotationClearsAwsForAnInstanceTypeChangeAndRegistersAgainAfter() {
    moto.createEndpoint("resize", "prod", "ml.c5.2xlarge", 1);
    create(seed("resize", "resize"));
    awaitReady("resize");
    SageMakerScalingPolicy r = operator.get("resize");
    r.getMetadata().getAnnotations().put("autoscaling.sagemaker.dev/deregister", "true");
    TestEnvironment.client().resource(r).update();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(awsObjects()).isZero();
      assertThat(condition(operator.get("resize"), "Ready")).hasValueSatisfying(c -> {
        assertThat(c.getReason()).isEqualTo("Paused");
        assertThat(c.getMessage()).contains("remove the annotation");
      });
    });
    // Held: a resync writes nothing back while the endpoint is being updated.
    long writes = proxy.writes();
    await().during(RESYNC.multipliedBy(2)).atMost(RESYNC.multipliedBy(3)).until(() -> proxy.writes() == writes);

    r = operator.get("resize");
    r.getMetadata().getAnnotations().remove("autoscaling.sagemaker.dev/deregister");
    TestEnvironment.client().resource(r).update();
    await().atMost(Duration.ofSeconds(30)).until(() -> awsObjects() == 1 + 5 + 2 && isTrue(operator.get("resize"), "Ready")
        && "Converged".equals(condition(operator.get("resize"), "Ready").orElseThrow().getReason()));
  }

  @Test
  void anEndpointThatIsUpdatingIsWaitedFor() {
    moto.createEndpoint("busy", "prod", "ml.c5.2xlarge", 1);
    moto.setEndpointStatus("busy", "Updating");
    create(seed("busy", "busy"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(condition(operator.get("busy"), "Reconciling")).hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("EndpointNotInService");
          assertThat(c.getMessage()).contains("Updating");
        }));
    assertThat(moto.targets()).isEmpty();
    moto.setEndpointStatus("busy", null);
    awaitReady("busy");
  }

  @Test
  void anEndpointDeletedAndRecreatedIsRegisteredAgain() {
    moto.createEndpoint("phoenix", "prod", "ml.c5.2xlarge", 1);
    create(seed("phoenix", "phoenix"));
    awaitReady("phoenix");
    // What AWS does when an autoscaled endpoint is deleted: the endpoint goes, and Application Auto
    // Scaling deregisters its target, which deletes the policies (moto does neither on its own).
    moto.sageMaker.deleteEndpoint(e -> e.endpointName("phoenix"));
    moto.policies().forEach(p -> moto.autoScaling.deleteScalingPolicy(d -> d.policyName(p.policyName())
        .serviceNamespace(ServiceNamespace.SAGEMAKER).resourceId(p.resourceId()).scalableDimension(p.scalableDimension())));
    moto.autoScaling.deregisterScalableTarget(t -> t.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("endpoint/phoenix/variant/prod").scalableDimension("sagemaker:variant:DesiredInstanceCount"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(condition(operator.get("phoenix"), "Reconciling")).hasValueSatisfying(c ->
            assertThat(c.getReason()).isEqualTo("EndpointNotFound")));

    moto.sageMaker.createEndpoint(e -> e.endpointName("phoenix").endpointConfigName("phoenix-config"));
    awaitReady("phoenix");
    assertThat(moto.targets()).hasSize(1);
    assertThat(moto.policies()).hasSize(5);
  }

  @Test
  void deletionFinishesWhenTheEndpointAndTargetAreAlreadyGone() {
    moto.createEndpoint("gone", "prod", "ml.c5.2xlarge", 1);
    create(seed("gone", "gone"));
    awaitReady("gone");
    moto.sageMaker.deleteEndpoint(e -> e.endpointName("gone"));
    moto.autoScaling.deregisterScalableTarget(t -> t.serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId("endpoint/gone/variant/prod").scalableDimension("sagemaker:variant:DesiredInstanceCount"));
    deleteAndAwaitGone("gone");
    assertThat(moto.alarms()).as("alarms outlive their target in AWS; deletion removes them").isEmpty();
  }
}
