package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.InvalidInputCases.set;
import static dev.sagemaker.autoscaling.testing.OperatorHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.AwsSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.CapacityUnit;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.testing.InvalidInputCases;
import dev.sagemaker.autoscaling.testing.InvalidInputCases.Case;
import dev.sagemaker.autoscaling.testing.InvalidInputCases.Layer;
import dev.sagemaker.autoscaling.testing.InvalidInputCases.Mutation;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import dev.sagemaker.autoscaling.testing.OperatorHarness;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad and hostile input, from the one table in {@link InvalidInputCases}: the API server refuses
 * what its schema and CEL can see, naming the field; what gets through is reported by the operator
 * as Stalled/InvalidSpec and a Warning Event naming the field; the operator never crashes and
 * writes nothing.
 */
class InvalidInputIT {
  private static final ResourceDefinitionContext SMSP =
      new ResourceDefinitionContext.Builder()
          .withGroup("autoscaling.sagemaker.dev")
          .withVersion("v1alpha1")
          .withPlural("sagemakerscalingpolicies")
          .withKind("SageMakerScalingPolicy")
          .withNamespaced(true)
          .build();

  /**
   * One operator for the class: admission cases never reach it, and starting one per case would be
   * slow.
   */
  @RegisterExtension
  static final OperatorExtension fixture = OperatorExtension.operator(Duration.ofSeconds(30));

  static List<Case> refusedAtAdmission() {
    return InvalidInputCases.refusedBy(Layer.ADMISSION);
  }

  static List<Case> refusedAsInvalidSpec() {
    return InvalidInputCases.refusedBy(Layer.INVALID_SPEC);
  }

  private static GenericKubernetesResource create(
      Mutation mutation, String namespace, String name) {
    return TestEnvironment.client()
        .genericKubernetesResources(SMSP)
        .resource(InvalidInputCases.resource(mutation, namespace, name))
        .create();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedAtAdmission")
  void refusedAtAdmissionWithTheField(Case bad) {
    assertThatThrownBy(() -> create(bad.mutation(), fixture.namespace(), "bad"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
              assertThat(e.getMessage()).contains(bad.field());
              if (bad.phrase() != null) {
                assertThat(e.getMessage()).contains(bad.phrase());
              }
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedAsInvalidSpec")
  void admittedThenStalledAsInvalidSpecWithAnEventAndNoAwsWrite(Case bad) throws Exception {
    // An operator of its own, so that no other resource's AWS calls are counted.
    try (OperatorHarness alone = OperatorHarness.start(Duration.ofSeconds(30))) {
      String name = create(bad.mutation(), alone.namespace, "bad").getMetadata().getName();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(condition(alone.get(name), "Stalled"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getReason()).isEqualTo("InvalidSpec");
                          assertThat(c.getMessage()).contains(bad.field()).contains(bad.phrase());
                        });
                assertThat(
                        TestEnvironment.client()
                            .v1()
                            .events()
                            .inNamespace(alone.namespace)
                            .list()
                            .getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getInvolvedObject().getName()).isEqualTo(name);
                          assertThat(e.getReason()).isEqualTo("InvalidSpec");
                          assertThat(e.getType()).isEqualTo("Warning");
                        });
              });
      Map<String, Long> calls = alone.awsCalls().countsByOperation();
      assertThat(alone.awsCalls().writes()).as("AWS writes: %s", calls).isZero();
      // No hot retry: nothing more happens until the spec changes or the resync comes round.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> alone.awsCalls().countsByOperation().equals(calls));
    }
  }

  @Test
  void theUnchangedSeedIsAdmitted() {
    GenericKubernetesResource created =
        create(new Mutation(Map.of()), fixture.namespace(), "valid");
    assertThat(created.getMetadata().getUid()).isNotBlank();
    TestEnvironment.client().genericKubernetesResources(SMSP).resource(created).delete();
  }

  @Test
  void targetRegionRoleAndCapacityUnitCannotChangeInPlace() {
    SageMakerScalingPolicy original =
        fixture.create(fixture.seedManifest("immutable", "immutable-ep"));
    List<Map.Entry<String, Consumer<SageMakerScalingPolicy>>> refused =
        List.of(
            Map.entry("spec.target", r -> r.getSpec().getTarget().setEndpointName("another-ep")),
            Map.entry("spec.target", r -> r.getSpec().getTarget().setVariantName("blue")),
            Map.entry(
                "spec.target.capacityUnit",
                r -> r.getSpec().getTarget().setCapacityUnit(CapacityUnit.ProvisionedConcurrency)),
            Map.entry("spec.aws.region", r -> r.getSpec().setAws(aws("eu-central-1", null))),
            Map.entry(
                "spec.aws.roleArn",
                r -> r.getSpec().setAws(aws(null, "arn:aws:iam::111122223333:role/smsp"))));
    for (Map.Entry<String, Consumer<SageMakerScalingPolicy>> attempt : refused) {
      assertThatThrownBy(() -> edit(attempt.getValue()))
          .as(attempt.getKey())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
                assertThat(e.getMessage())
                    .contains(attempt.getKey() + " is immutable", "delete this resource");
              });
    }

    // Spelling out a default is no change; everything else stays editable.
    SageMakerScalingPolicy edited =
        edit(
            r -> {
              r.getSpec().getTarget().setCapacityUnit(CapacityUnit.Instances);
              r.getSpec().setMaxCapacity(r.getSpec().getMaxCapacity() + 1);
            });
    assertThat(edited.getMetadata().getGeneration())
        .isGreaterThan(original.getMetadata().getGeneration());
    fixture.deleteAndAwaitGone("immutable");
  }

  /**
   * Edits as kubectl would, retrying when the operator wrote in between (its finalizer, its
   * status): the optimistic-lock conflict is not the answer under test.
   */
  private static SageMakerScalingPolicy edit(Consumer<SageMakerScalingPolicy> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return TestEnvironment.client()
            .resources(SageMakerScalingPolicy.class)
            .inNamespace(fixture.namespace())
            .withName("immutable")
            .edit(
                r -> {
                  change.accept(r);
                  return r;
                });
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static AwsSettings aws(String region, String roleArn) {
    AwsSettings aws = new AwsSettings();
    aws.setRegion(region);
    aws.setRoleArn(roleArn);
    return aws;
  }

  @Test
  void endpointsInOtherRegionsOrAccountsWaitWithAMessage() {
    create(
        set("spec.aws", Map.of("region", "ap-southeast-2")), fixture.namespace(), "other-region");
    create(
        set("spec.aws", Map.of("roleArn", "arn:aws:iam::111122223333:role/smsp")),
        fixture.namespace(),
        "other-account");
    for (String name : List.of("other-region", "other-account")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(condition(fixture.get(name), "Reconciling"))
                      .hasValueSatisfying(
                          c -> {
                            assertThat(c.getStatus()).isEqualTo("True");
                            assertThat(c.getReason()).isEqualTo("EndpointNotFound");
                          }));
    }
    assertThat(fixture.get("other-region").getStatus().getRegion()).isEqualTo("ap-southeast-2");
  }
}
