package dev.sagemaker.autoscaling.testing;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.AwsClientFactory;
import dev.sagemaker.autoscaling.cli.OperatorRuntime;
import dev.sagemaker.autoscaling.cli.RunCommand;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The local sandbox: a real API server and moto on loopback, a pretend SageMaker endpoint for every
 * example, the operator, and the examples applied. Prints what it made and keeps running until
 * interrupted. Started by src/test/sh/sandbox.sh.
 */
public final class Sandbox {
  static final String NAMESPACE = "sandbox";

  public static void main(String[] args) throws Exception {
    boolean exitWhenReady = List.of(args).contains("--exit-when-ready");
    Started sandbox =
        run(System.out, exitWhenReady ? Duration.ofSeconds(90) : Duration.ofSeconds(120));
    Runtime.getRuntime()
        .addShutdownHook(new Thread(sandbox.operator()::close, "sandbox-operator-stop"));
    boolean ready = sandbox.ready();
    if (exitWhenReady) {
      System.exit(ready ? 0 : 1);
    }
    System.out.println("Running until interrupted (Ctrl-C).");
    new CountDownLatch(1).await();
  }

  /** The running operator, and whether every example became Ready within the timeout. */
  record Started(OperatorRuntime operator, boolean ready) {}

  static Started run(PrintStream out, Duration timeout) throws Exception {
    out.println("Starting a kube-apiserver and moto on loopback...");
    TestEnvironment.ensureStarted();
    KubernetesClient client = TestEnvironment.client();
    Path kubeconfig = Files.createDirectories(Path.of("target/sandbox")).resolve("kubeconfig");
    Files.writeString(kubeconfig, TestEnvironment.kubeconfigYaml());
    // As a namespace admin would: the operator's default tenancy lets a namespace scale only what
    // it grants.
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .addToAnnotations(NamespaceGrants.ALLOWED_TARGETS, "*")
                .endMetadata()
                .build())
        .serverSideApply();

    Moto moto = new Moto(TestEnvironment.motoEndpoint());
    List<SageMakerScalingPolicy> examples =
        Examples.files().stream().map(f -> Examples.load(f, NAMESPACE)).toList();
    for (SageMakerScalingPolicy example : examples) {
      moto.createBackingResource(example);
    }
    out.println("Created " + examples.size() + " pretend SageMaker endpoints in moto.");

    int metricsPort = TestEnvironment.freePort();
    OperatorRuntime operator =
        OperatorRuntime.start(
            new RunCommand.OperatorSettings(
                Set.of(NAMESPACE),
                null,
                Duration.ofMinutes(1),
                "sandbox",
                metricsPort,
                null,
                null,
                4),
            client,
            new AwsClientFactory.Settings(
                Optional.of(Moto.REGION),
                Optional.of(TestEnvironment.motoEndpoint()),
                Moto.CREDENTIALS,
                3,
                Duration.ofSeconds(30)));

    for (SageMakerScalingPolicy example : examples) {
      client.resource(example).serverSideApply();
    }
    out.println(
        "Applied "
            + examples.size()
            + " examples from examples/ to namespace "
            + NAMESPACE
            + "; waiting for them to converge...");
    boolean ready = waitUntilReady(client, examples.size(), timeout);

    out.println();
    kubectl(out, kubeconfig, "get", "smsp", "-n", NAMESPACE, "-o", "wide");
    out.println();
    printAws(out, moto);
    out.println();
    out.println("kubeconfig:        " + kubeconfig.toAbsolutePath());
    out.println(
        "  try:             KUBECONFIG="
            + kubeconfig.toAbsolutePath()
            + " kubectl get smsp -n "
            + NAMESPACE);
    out.println(
        "moto (AWS) at:     "
            + TestEnvironment.motoEndpoint()
            + "  (AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION="
            + Moto.REGION
            + ")");
    out.println("operator metrics:  http://127.0.0.1:" + metricsPort + "/metrics");
    out.println(
        ready
            ? "All examples are Ready."
            : "Not every example became Ready; see the conditions above.");
    return new Started(operator, ready);
  }

  private static boolean waitUntilReady(KubernetesClient client, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      long ready =
          client
              .resources(SageMakerScalingPolicy.class)
              .inNamespace(NAMESPACE)
              .list()
              .getItems()
              .stream()
              .filter(r -> OperatorHarness.isTrue(r, "Ready"))
              .count();
      if (ready == count) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    return false;
  }

  private static void kubectl(PrintStream out, Path kubeconfig, String... args)
      throws IOException, InterruptedException {
    String tools =
        System.getenv()
            .getOrDefault(
                "SMSP_TOOLS_BIN",
                System.getProperty("user.home") + "/.cache/sagemaker-autoscaling-operator/bin");
    List<String> command = new ArrayList<>(List.of(tools + "/kubectl"));
    command.addAll(List.of(args));
    out.println("$ kubectl " + String.join(" ", args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    Process p = pb.start();
    out.print(new String(p.getInputStream().readAllBytes()));
    p.waitFor();
  }

  private static void printAws(PrintStream out, Moto moto) {
    out.println("AWS (moto) now holds:");
    moto.targets()
        .forEach(
            t ->
                out.printf(
                    "  scalable target  %-55s min %d max %d%n",
                    t.resourceId(), t.minCapacity(), t.maxCapacity()));
    moto.policies()
        .forEach(
            p ->
                out.printf(
                    "  scaling policy   %-70s %s%n", p.policyName(), p.policyTypeAsString()));
    moto.alarms()
        .forEach(
            a ->
                out.printf(
                    "  cloudwatch alarm %-70s %s %s %s%n",
                    a.alarmName(),
                    a.metricName() == null ? "metric math" : a.metricName(),
                    a.comparisonOperatorAsString(),
                    a.threshold()));
    moto.scheduledActions()
        .forEach(
            s ->
                out.printf("  scheduled action %-70s %s%n", s.scheduledActionName(), s.schedule()));
  }
}
