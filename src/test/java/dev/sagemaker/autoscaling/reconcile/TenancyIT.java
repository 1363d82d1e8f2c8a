package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reconciler's half of the namespace grants, on the real API server with moto behind a counting
 * proxy: where the admission policy is not installed, an ungranted namespace gets Stalled/Forbidden
 * and the operator makes no AWS call for it at all.
 */
class TenancyIT {
  private static final Duration RESYNC = Duration.ofSeconds(3);

  @RegisterExtension
  final OperatorExtension fixture = OperatorExtension.withoutOperator().throughProxy();

  @Test
  void anUngrantedNamespaceIsForbiddenWithoutAnyAwsCallUntilItsAdminGrantsTheTarget()
      throws Exception {
    // The fixture grants its namespace every target; this namespace's admin has granted nothing.
    fixture
        .client()
        .namespaces()
        .withName(fixture.namespace())
        .edit(
            ns -> {
              ns.getMetadata().getAnnotations().remove(NamespaceGrants.ALLOWED_TARGETS);
              return ns;
            });
    fixture.startOperator(RESYNC, fixture.awsEndpoint(), null);
    fixture.seed("recommender", "recommender-prod");

    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () ->
                assertThat(condition(fixture.get("recommender"), "Stalled"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getReason()).isEqualTo("Forbidden");
                          assertThat(c.getMessage())
                              .contains(
                                  "spec.target.endpointName",
                                  "recommender-prod",
                                  NamespaceGrants.ALLOWED_TARGETS);
                        }));
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(fixture.events())
                    .anySatisfy(
                        e ->
                            assertThat(e)
                                .extracting(Event::getType, Event::getReason)
                                .containsExactly("Warning", "Forbidden")));
    // At least one resync has run by now (every 3 s): still not even a Describe.
    Thread.sleep(RESYNC.multipliedBy(2).toMillis());
    assertThat(fixture.proxy().calls()).as("AWS calls for a forbidden resource").isEmpty();
    assertThat(fixture.moto().targets()).isEmpty();

    // The admin grants the endpoint; the next pass (here, a spec change) reads the grant and
    // converges.
    fixture
        .client()
        .namespaces()
        .withName(fixture.namespace())
        .edit(
            ns -> {
              ns.getMetadata()
                  .getAnnotations()
                  .put(NamespaceGrants.ALLOWED_TARGETS, "recommender-*");
              return ns;
            });
    SageMakerScalingPolicy ready =
        fixture.update("recommender", r -> r.getSpec().setMaxCapacity(4));

    assertThat(ready.getStatus().getResourceId())
        .isEqualTo("endpoint/recommender-prod/variant/prod");
    assertThat(fixture.proxy().calls()).isNotEmpty();
    assertThat(fixture.moto().targets())
        .singleElement()
        .satisfies(t -> assertThat(t.maxCapacity()).isEqualTo(4));
  }

  @Test
  void grantingOrRevokingTakesEffectAtOnceNotAtTheNextResync() throws Exception {
    setTargetGrant(null);
    // A resync far beyond the test: only the namespace's change can bring the next pass.
    fixture.startOperator(Duration.ofHours(1), fixture.awsEndpoint(), null);
    fixture.seed("recommender", "recommender-prod");
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(() -> assertThat(reason("recommender")).isEqualTo("Forbidden"));

    setTargetGrant("recommender-*");
    SageMakerScalingPolicy ready = fixture.awaitReady("recommender");
    assertThat(ready.getMetadata().getGeneration()).as("no spec change").isEqualTo(1L);
    assertThat(fixture.moto().targets()).hasSize(1);

    setTargetGrant("other-*");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(reason("recommender")).isEqualTo("Forbidden"));
  }

  private String reason(String name) {
    return condition(fixture.get(name), "Ready").map(c -> c.getReason()).orElse("");
  }

  private void setTargetGrant(String value) {
    fixture
        .client()
        .namespaces()
        .withName(fixture.namespace())
        .edit(
            ns -> {
              if (value == null) {
                ns.getMetadata().getAnnotations().remove(NamespaceGrants.ALLOWED_TARGETS);
              } else {
                ns.getMetadata().getAnnotations().put(NamespaceGrants.ALLOWED_TARGETS, value);
              }
              return ns;
            });
  }
}
