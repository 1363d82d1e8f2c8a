package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.testing.AwsProxy;
import dev.sagemaker.autoscaling.testing.Examples;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator jar, as production runs it, killed with SIGKILL between two AWS writes: the next
 * process finishes the job, and nothing is duplicated, leaked or left pointing at the wrong policy.
 */
@ExtendWith(TestEnvironment.class)
class CrashRecoveryIT {
  private static final Path JAR = Path.of("target/sagemaker-autoscaling-operator.jar");

  private String namespace;
  private Path kubeconfig;
  private Moto moto;
  private AwsProxy proxy;

  @BeforeEach
  void start() throws Exception {
    TestEnvironment.resetMoto();
    namespace = "crash-" + UUID.randomUUID().toString().substring(0, 6);
    TestEnvironment.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(kubeconfig, TestEnvironment.kubeconfigYaml());
    moto = new Moto(TestEnvironment.motoEndpoint());
    proxy = new AwsProxy(TestEnvironment.motoEndpoint());
    moto.createEndpoint("recommender-prod", "prod", "ml.c5.2xlarge", 1);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    moto.close();
    Files.deleteIfExists(kubeconfig);
  }

  @Test
  void killedBetweenTwoWritesAndRestartedItConvergesWithoutDuplicates() throws Exception {
    applySeedAndKillOperatorAfterWrite(3);
    assertThat(moto.policies()).as("killed part-way: some but not all policies exist").hasSizeLessThan(5);

    runOperatorUntil(() -> isTrue(seed(), "Ready"));
    System.out.printf("killed after %d writes; after the restart AWS holds %d target, %d policies, %d alarms%n",
        3, moto.targets().size(), moto.policies().size(), moto.alarms().size());
    assertThat(moto.targets()).hasSize(1);
    assertThat(moto.policies()).hasSize(5);
    assertThat(moto.alarms()).hasSize(2).allSatisfy(alarm -> assertThat(alarm.alarmActions()).containsExactly(
        moto.policies().stream().filter(p -> p.policyName().equals(alarm.alarmName())).findFirst().orElseThrow().policyARN()));
  }

  @Test
  void deletedWhileNoOperatorRanAfterAPartialFirstPassNothingIsLeft() throws Exception {
    applySeedAndKillOperatorAfterWrite(2);
    assertThat(moto.targets()).as("the first pass registered the target before it died").hasSize(1);

    // Deleted before any status was written: only the finalizer keeps it.
    TestEnvironment.client().resources(SageMakerScalingPolicy.class).inNamespace(namespace).withName("recommender").delete();
    runOperatorUntil(() -> seed() == null);
    assertThat(moto.targets()).isEmpty();
    assertThat(moto.policies()).isEmpty();
    assertThat(moto.alarms()).isEmpty();
  }

  /** Starts the jar, applies the seed stack, and kills the process once its n-th write reached AWS. */
  private void applySeedAndKillOperatorAfterWrite(int n) throws Exception {
    AtomicReference<Process> running = new AtomicReference<>();
    AtomicInteger writes = new AtomicInteger();
    proxy.onWrite(operation -> {
      // The write has reached AWS; the operator dies before it hears the answer.
      if (writes.incrementAndGet() == n) {
        running.get().destroyForcibly();
      }
    });
    Process first = startOperator();
    running.set(first);
    TestEnvironment.client().resource(Examples.load(Path.of("examples/realtime-seed.yaml"), namespace)).create();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(first.isAlive())
        .as("operator alive after %d writes; status %s; calls %s", writes.get(), seed() == null ? null : seed().getStatus(), proxy.calls())
        .isFalse());
    proxy.onWrite(operation -> { });
  }

  private void runOperatorUntil(java.util.concurrent.Callable<Boolean> done) throws Exception {
    Process second = startOperator();
    try {
      await().atMost(Duration.ofSeconds(90)).until(done);
    } finally {
      second.destroy();
      second.waitFor();
    }
  }

  private SageMakerScalingPolicy seed() {
    return TestEnvironment.client().resources(SageMakerScalingPolicy.class).inNamespace(namespace).withName("recommender").get();
  }

  private Process startOperator() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-jar", JAR.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target/crash-recovery-operator.log").toFile()));
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("WATCH_NAMESPACES", namespace);
    pb.environment().put("CLUSTER_NAME", "test");
    pb.environment().put("METRICS_PORT", "0");
    pb.environment().put("RESYNC_PERIOD", "5s");
    pb.environment().put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
    pb.environment().put("AWS_REGION", Moto.REGION);
    pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
    pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
    return pb.start();
  }
}
