package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorHarness;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad and hostile input: the API server refuses what AWS would refuse, naming the field; what gets
 * through is reported as a condition and an Event; the operator never crashes and writes nothing.
 */
@ExtendWith(TestEnvironment.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvalidInputIT {
  private static final ResourceDefinitionContext SMSP = new ResourceDefinitionContext.Builder()
      .withGroup("autoscaling.sagemaker.dev").withVersion("v1alpha1").withPlural("sagemakerscalingpolicies")
      .withKind("SageMakerScalingPolicy").withNamespaced(true).build();
  private static final String VALID_SPEC = """
      modelType: RealTime
      target: {endpointName: ep, variantName: AllTraffic}
      minCapacity: 1
      maxCapacity: 3
      targetTracking: [{name: cpu, metric: CPUUtilization, targetValue: 70}]
      """;

  private OperatorHarness operator;
  private Moto moto;

  @BeforeAll
  void start() throws Exception {
    TestEnvironment.resetMoto();
    moto = new Moto(TestEnvironment.motoEndpoint());
    operator = OperatorHarness.start(Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() {
    operator.close();
    moto.close();
  }

  static Stream<Arguments> refusedAtAdmission() {
    return Stream.of(
        Arguments.of("min above max", spec("minCapacity: 5\nmaxCapacity: 3"), "spec.minCapacity"),
        Arguments.of("negative capacity", spec("minCapacity: -1"), "spec.minCapacity"),
        Arguments.of("real-time at zero", spec("minCapacity: 0"), "only Async endpoints and inference components can scale to zero"),
        Arguments.of("endpoint name with underscore", spec("target: {endpointName: my_endpoint}"), "spec.target.endpointName"),
        Arguments.of("endpoint name of 64 characters", spec("target: {endpointName: " + "e".repeat(64) + "}"), "spec.target.endpointName"),
        Arguments.of("endpoint name with a bell character", spec("target: {endpointName: \"ep\\u0007\"}"), "spec.target.endpointName"),
        Arguments.of("unicode endpoint name", spec("target: {endpointName: \"éндпоинт\"}"), "spec.target.endpointName"),
        Arguments.of("both target kinds", spec("target: {endpointName: ep, inferenceComponentName: ic}"), "exactly one of endpointName or inferenceComponentName"),
        Arguments.of("empty item name", spec("targetTracking: [{name: \"\", metric: CPUUtilization, targetValue: 70}]"), "spec.targetTracking[0].name"),
        Arguments.of("duplicate item names", spec("targetTracking: [{name: cpu, metric: CPUUtilization, targetValue: 70}, {name: cpu, metric: MemoryUtilization, targetValue: 80}]"), "item names must be unique"),
        Arguments.of("unknown metric", spec("targetTracking: [{name: cpu, metric: CPUUsage, targetValue: 70}]"), "spec.targetTracking[0].metric"),
        Arguments.of("zero target value", spec("targetTracking: [{name: cpu, metric: CPUUtilization, targetValue: 0}]"), "spec.targetTracking[0].targetValue"),
        Arguments.of("wrong type", spec("maxCapacity: three"), "spec.maxCapacity"),
        Arguments.of("unknown model type", spec("modelType: Streaming"), "spec.modelType"),
        Arguments.of("custom metric missing", spec("targetTracking: [{name: c, metric: Custom, targetValue: 1}]"), "metric Custom needs exactly one of customMetric or metricQueries"),
        Arguments.of("one step only", spec("stepScaling: [{name: s, metric: CPUUtilization, steps: [{lower: 80, change: 1}]}]"), "spec.stepScaling[0].steps"),
        Arguments.of("step without bounds", spec("stepScaling: [{name: s, metric: CPUUtilization, steps: [{change: 1}, {lower: 80, change: 2}]}]"), "a step needs lower, upper or both"),
        Arguments.of("alarm period 45 s", spec("stepScaling: [{name: s, metric: CPUUtilization, alarm: {periodSeconds: 45}, steps: [{upper: 20, change: -1}, {lower: 80, change: 1}]}]"), "periodSeconds must be 10, 20, 30 or a multiple of 60"),
        Arguments.of("minute alarm longer than a day", spec("stepScaling: [{name: s, metric: CPUUtilization, alarm: {periodSeconds: 60, evaluationPeriods: 1441}, steps: [{upper: 20, change: -1}, {lower: 80, change: 1}]}]"), "must not exceed 86400"),
        Arguments.of("step change beyond a Java int", spec("stepScaling: [{name: s, metric: CPUUtilization, steps: [{upper: 20, change: -1}, {lower: 80, change: 3000000000}]}]"), "spec.stepScaling[0].steps[1].change"),
        Arguments.of("inference component at zero without scaleFromZero", spec("target: {inferenceComponentName: ic}\nminCapacity: 0\ntargetTracking: []"), "spec.scaleFromZero"),
        Arguments.of("malformed cron", spec("schedules: [{name: n, schedule: \"cron(0 20 * *)\", minCapacity: 1}]"), "spec.schedules[0].schedule"),
        Arguments.of("schedule without capacity", spec("schedules: [{name: n, schedule: \"rate(1 day)\"}]"), "a schedule sets minCapacity, maxCapacity or both"),
        Arguments.of("201 schedules", spec("schedules: [" + String.join(", ", java.util.Collections.nCopies(201, "{name: n, schedule: \"rate(1 day)\", minCapacity: 1}")) + "]"), "spec.schedules"),
        Arguments.of("51 policies", spec("targetTracking: [" + String.join(", ", java.util.stream.IntStream.range(0, 51).mapToObj(i -> "{name: p" + i + ", metric: CPUUtilization, targetValue: 70}").toList()) + "]"), "spec.targetTracking"),
        Arguments.of("scale from zero on real-time", spec("scaleFromZero: true"), "spec.scaleFromZero"),
        Arguments.of("copies on an endpoint", spec("target: {endpointName: ep, capacityUnit: Copies}"), "spec.target.capacityUnit"),
        Arguments.of("region that is not one", spec("aws: {region: \"moon; rm -rf /\"}"), "spec.aws.region"));
  }

  /** The valid spec with some top-level keys replaced. */
  private static String spec(String overrides) {
    StringBuilder out = new StringBuilder();
    List<String> overridden = overrides.lines().map(l -> l.substring(0, l.indexOf(':'))).toList();
    VALID_SPEC.lines().filter(l -> !overridden.contains(l.substring(0, l.indexOf(':')))).forEach(l -> out.append(l).append('\n'));
    out.append(overrides).append('\n');
    return out.toString();
  }

  private GenericKubernetesResource manifest(String name, String spec) {
    String yaml = "apiVersion: autoscaling.sagemaker.dev/v1alpha1\nkind: SageMakerScalingPolicy\nmetadata:\n  name: " + name
        + "\n  namespace: " + operator.namespace + "\nspec:\n" + spec.indent(2);
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedAtAdmission")
  void refusedAtAdmissionWithTheField(String description, String spec, String expected) {
    GenericKubernetesResource resource = manifest("bad", spec);
    assertThatThrownBy(() -> TestEnvironment.client().genericKubernetesResources(SMSP).resource(resource).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  @Test
  void theValidSpecIsAdmitted() {
    GenericKubernetesResource created = TestEnvironment.client().genericKubernetesResources(SMSP)
        .resource(manifest("valid", VALID_SPEC)).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    TestEnvironment.client().genericKubernetesResources(SMSP).resource(created).delete();
  }

  @Test
  void aNameTooLongForAwsIsStalledWithInvalidSpecAndAnEvent() {
    String name = "n".repeat(240);
    TestEnvironment.client().genericKubernetesResources(SMSP).resource(manifest(name, VALID_SPEC)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      SageMakerScalingPolicy r = operator.get(name);
      assertThat(condition(r, "Stalled")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("InvalidSpec");
        assertThat(c.getMessage()).contains("spec.targetTracking[0].name").contains("too long");
      });
      List<Event> events = TestEnvironment.client().v1().events().inNamespace(operator.namespace).list().getItems();
      assertThat(events).anySatisfy(e -> {
        assertThat(e.getInvolvedObject().getName()).isEqualTo(name);
        assertThat(e.getReason()).isEqualTo("InvalidSpec");
        assertThat(e.getType()).isEqualTo("Warning");
      });
    });
    assertThat(moto.targets()).isEmpty();
  }

  @Test
  void stepBandsCelCannotCheckAreStalledNotRetried() throws Exception {
    String overlapping = spec("stepScaling: [{name: s, metric: CPUUtilization, steps: [{lower: 10, upper: 50, change: -1}, {lower: 40, upper: 90, change: 1}]}]");
    moto.createEndpoint("ep", "AllTraffic", "ml.c5.2xlarge", 1);
    // An operator of its own, so no other resource's calls are counted.
    try (OperatorHarness alone = OperatorHarness.start(Duration.ofSeconds(30))) {
      String yaml = "apiVersion: autoscaling.sagemaker.dev/v1alpha1\nkind: SageMakerScalingPolicy\nmetadata:\n  name: overlap"
          + "\n  namespace: " + alone.namespace + "\nspec:\n" + overlapping.indent(2);
      TestEnvironment.client().genericKubernetesResources(SMSP).resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).create();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(condition(alone.get("overlap"), "Stalled")).hasValueSatisfying(c -> {
            assertThat(c.getReason()).isEqualTo("InvalidSpec");
            assertThat(c.getMessage()).contains("spec.stepScaling[0].steps").contains("overlap");
          }));
      Map<String, Long> calls = alone.awsCalls().countsByOperation();
      assertThat(alone.awsCalls().writes()).isZero();
      // No hot retry: nothing more happens until the spec changes or the resync comes round.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> alone.awsCalls().countsByOperation().equals(calls));
    }
  }

  @Test
  void endpointsInOtherRegionsOrAccountsWaitWithAMessage() {
    String otherRegion = spec("aws: {region: ap-southeast-2}");
    String otherAccount = spec("aws: {roleArn: \"arn:aws:iam::111122223333:role/smsp\"}");
    TestEnvironment.client().genericKubernetesResources(SMSP).resource(manifest("other-region", otherRegion)).create();
    TestEnvironment.client().genericKubernetesResources(SMSP).resource(manifest("other-account", otherAccount)).create();
    for (String name : List.of("other-region", "other-account")) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(condition(operator.get(name), "Reconciling")).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("EndpointNotFound");
          }));
    }
    assertThat(operator.get("other-region").getStatus().getRegion()).isEqualTo("ap-southeast-2");
  }
}
