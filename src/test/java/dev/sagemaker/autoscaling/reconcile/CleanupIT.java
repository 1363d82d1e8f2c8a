package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.AwsSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.testing.AwsProxy;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;

/**
 * A cleanup AWS refuses, on the real API server and moto: the resource says so, keeps its
 * finalizer, retries less and less often, does not hold up anyone else, and finishes once AWS lets
 * it.
 */
class CleanupIT {
  /** The refused resources live here; AWS (the proxy) denies every call signed for it. */
  private static final String DENIED_REGION = "us-west-2";

  @RegisterExtension
  final OperatorExtension fixture =
      OperatorExtension.operator(Duration.ofSeconds(30)).throughProxy();

  @Test
  void aCleanupAwsRefusesStallsSaysWhyBacksOffAndFinishesOnceAllowed() throws Exception {
    Moto west = new Moto(TestEnvironment.motoEndpoint(), DENIED_REGION);
    List<String> doomed = List.of("doomed-a", "doomed-b", "doomed-c");
    for (String name : doomed) {
      west.createEndpoint(name, "prod", "ml.c5.2xlarge", 1);
      SageMakerScalingPolicy resource = fixture.seedManifest(name, name);
      resource.getSpec().setAws(new AwsSettings());
      resource.getSpec().getAws().setRegion(DENIED_REGION);
      fixture.create(resource);
    }
    fixture.seed("bystander", "bystander");
    for (String name : doomed) {
      fixture.awaitReady(name);
    }
    fixture.awaitReady("bystander");
    assertThat(objectsIn(west)).as("what the doomed resources created").isPositive();

    fixture.proxy().denyRegion(DENIED_REGION);
    long deniedFrom = System.nanoTime();
    for (String name : doomed) {
      fixture.client().resource(fixture.get(name)).delete();
    }

    for (String name : doomed) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(condition(fixture.get(name), "Stalled"))
                      .hasValueSatisfying(
                          c -> {
                            assertThat(c.getStatus()).isEqualTo("True");
                            assertThat(c.getReason()).isEqualTo("CleanupFailed");
                            assertThat(c.getMessage()).contains("AccessDenied");
                          }));
    }
    assertThat(fixture.events())
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("CleanupFailed");
            });

    // Meanwhile everyone else carries on: a new resource converges and a change is applied.
    fixture.seed("newcomer", "newcomer");
    fixture.awaitReady("newcomer");
    fixture.update("bystander", r -> r.getSpec().setMaxCapacity(r.getSpec().getMaxCapacity() + 1));

    // Let the refused cleanups retry for a while, then read their rhythm off the proxy.
    Thread.sleep(Duration.ofSeconds(45).toMillis());
    for (String name : doomed) {
      SageMakerScalingPolicy stuck = fixture.get(name);
      assertThat(stuck).as("%s is still there, held by its finalizer", name).isNotNull();
      assertThat(stuck.getMetadata().getFinalizers()).isNotEmpty();
    }
    Map<String, List<Double>> attempts = attemptTimes(deniedFrom, doomed);
    Map<String, List<Double>> gaps = new TreeMap<>();
    attempts.forEach((name, times) -> gaps.put(name, gapsBetween(times)));
    System.out.printf(
        "refused cleanup: %d calls in %.0f s for %d resources; attempts (s after denial) %s; gaps"
            + " %s; denied calls by operation %s%n",
        fixture.proxy().denied().size(),
        (System.nanoTime() - deniedFrom) / 1e9,
        doomed.size(),
        attempts,
        gaps,
        fixture.proxy().denied().stream()
            .collect(Collectors.groupingBy(AwsProxy.Denied::operation, Collectors.counting())));
    for (String name : doomed) {
      List<Double> between = gaps.get(name);
      assertThat(between).as("%s retried", name).hasSizeGreaterThanOrEqualTo(3);
      // Without a backoff a refused cleanup came back every 1–2 s: about 30 attempts here.
      assertThat(attempts.get(name)).as("%s retries back off", name).hasSizeLessThanOrEqualTo(8);
      assertThat(between.get(between.size() - 1))
          .as("%s waits longer and longer between attempts: %s", name, between)
          .isGreaterThan(2 * between.get(0));
    }

    fixture.proxy().denyRegion(null);
    for (String name : doomed) {
      await().atMost(Duration.ofMinutes(3)).until(() -> fixture.get(name) == null);
    }
    assertThat(objectsIn(west)).as("nothing left behind in %s", DENIED_REGION).isZero();
    assertThat(fixture.awsObjects().targets())
        .as("the others keep theirs")
        .containsExactlyInAnyOrder(
            "endpoint/bystander/variant/prod", "endpoint/newcomer/variant/prod");
    west.close();
  }

  /** Targets, policies, alarms and scheduled actions in the region of {@code moto}. */
  private static int objectsIn(Moto moto) {
    return moto.targets().size()
        + moto.policies().size()
        + moto.alarms().size()
        + moto.autoScaling
            .describeScheduledActions(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER))
            .scheduledActions()
            .size();
  }

  /**
   * When each resource's cleanup attempts started, in seconds after the denial: its refused calls
   * (they name its endpoint or its AWS prefix), calls less than a second apart counting as one
   * attempt.
   */
  private Map<String, List<Double>> attemptTimes(long from, List<String> names) {
    Map<String, List<Double>> attempts = new TreeMap<>();
    for (String name : names) {
      List<Double> starts = new ArrayList<>();
      double last = Double.NEGATIVE_INFINITY;
      for (AwsProxy.Denied call : fixture.proxy().denied()) {
        if (!call.request().contains(name)) {
          continue;
        }
        double at = (call.nanos() - from) / 1e9;
        if (at - last >= 1.0) {
          starts.add(Math.round(at * 10) / 10.0);
        }
        last = at;
      }
      attempts.put(name, starts);
    }
    return attempts;
  }

  private static List<Double> gapsBetween(List<Double> times) {
    List<Double> gaps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gaps.add(Math.round((times.get(i) - times.get(i - 1)) * 10) / 10.0);
    }
    return gaps;
  }
}
