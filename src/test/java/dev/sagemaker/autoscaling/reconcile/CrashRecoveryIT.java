package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator jar, as production runs it, killed with SIGKILL between two AWS writes: the next
 * process finishes the job, and nothing is duplicated, leaked or left pointing at the wrong policy.
 */
class CrashRecoveryIT {
  private static final Path JAR = Path.of("target/sagemaker-autoscaling-operator.jar");

  /** The operator here is the jar in a process of its own, started by each test. */
  @RegisterExtension
  final OperatorExtension fixture = OperatorExtension.withoutOperator().throughProxy();

  @Test
  void killedBetweenTwoWritesAndRestartedItConvergesWithoutDuplicates() throws Exception {
    applySeedAndKillOperatorAfterWrite(3);
    assertThat(fixture.moto().policies())
        .as("killed part-way: some but not all policies exist")
        .hasSizeLessThan(5);

    runOperatorUntil(() -> isTrue(seed(), "Ready"));
    System.out.printf(
        "killed after %d writes; after the restart AWS holds %d target, %d policies, %d alarms%n",
        3,
        fixture.moto().targets().size(),
        fixture.moto().policies().size(),
        fixture.moto().alarms().size());
    assertThat(fixture.moto().targets()).hasSize(1);
    assertThat(fixture.moto().policies()).hasSize(5);
    assertThat(fixture.moto().alarms())
        .hasSize(2)
        .allSatisfy(
            alarm ->
                assertThat(alarm.alarmActions())
                    .containsExactly(
                        fixture.moto().policies().stream()
                            .filter(p -> p.policyName().equals(alarm.alarmName()))
                            .findFirst()
                            .orElseThrow()
                            .policyARN()));
  }

  @Test
  void deletedWhileNoOperatorRanAfterAPartialFirstPassNothingIsLeft() throws Exception {
    applySeedAndKillOperatorAfterWrite(2);
    assertThat(fixture.moto().targets())
        .as("the first pass registered the target before it died")
        .hasSize(1);

    // Deleted before any status was written: only the finalizer keeps it.
    fixture
        .client()
        .resources(SageMakerScalingPolicy.class)
        .inNamespace(fixture.namespace())
        .withName("recommender")
        .delete();
    runOperatorUntil(() -> seed() == null);
    assertThat(fixture.moto().targets()).isEmpty();
    assertThat(fixture.moto().policies()).isEmpty();
    assertThat(fixture.moto().alarms()).isEmpty();
  }

  /**
   * Starts the jar, applies the seed stack, and kills the process once its n-th write reached AWS.
   */
  private void applySeedAndKillOperatorAfterWrite(int n) throws Exception {
    AtomicReference<Process> running = new AtomicReference<>();
    AtomicInteger writes = new AtomicInteger();
    fixture
        .proxy()
        .onWrite(
            operation -> {
              // The write has reached AWS; the operator dies before it hears the answer.
              if (writes.incrementAndGet() == n) {
                running.get().destroyForcibly();
              }
            });
    Process first = startOperator();
    running.set(first);
    fixture.seed("recommender", "recommender-prod");
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(first.isAlive())
                    .as(
                        "operator alive after %d writes; status %s; calls %s",
                        writes.get(),
                        seed() == null ? null : seed().getStatus(),
                        fixture.proxy().calls())
                    .isFalse());
    fixture.proxy().onWrite(operation -> {});
  }

  private void runOperatorUntil(Callable<Boolean> done) throws Exception {
    Process second = startOperator();
    try {
      await().atMost(Duration.ofSeconds(90)).until(done);
    } finally {
      second.destroy();
      second.waitFor();
    }
  }

  private SageMakerScalingPolicy seed() {
    return fixture.get("recommender");
  }

  private Process startOperator() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-jar",
                JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    Path.of("target/crash-recovery-operator.log").toFile()));
    pb.environment().put("KUBECONFIG", fixture.kubeconfig().toString());
    pb.environment().put("WATCH_NAMESPACES", fixture.namespace());
    pb.environment().put("CLUSTER_NAME", "test");
    pb.environment().put("METRICS_PORT", "0");
    pb.environment().put("RESYNC_PERIOD", "5s");
    pb.environment().put("AWS_ENDPOINT_URL", fixture.proxy().endpoint().toString());
    pb.environment().put("AWS_REGION", Moto.REGION);
    pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
    pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
    return pb.start();
  }
}
