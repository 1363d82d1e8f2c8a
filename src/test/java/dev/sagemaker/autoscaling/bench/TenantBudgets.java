package dev.sagemaker.autoscaling.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.sagemaker.autoscaling.api.v1alpha1.AwsSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.AwsClientFactory;
import dev.sagemaker.autoscaling.cli.OperatorRuntime;
import dev.sagemaker.autoscaling.cli.RunCommand;
import dev.sagemaker.autoscaling.testing.AwsProxy;
import dev.sagemaker.autoscaling.testing.Examples;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorHarness;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Issue 12's budgets as figures, in real time against the real API server and moto, the operator
 * in-process with its production wait and retry schedules, every AWS call counted by the proxy:
 *
 * <ul>
 *   <li>{@code TenantBudgets denied [minutes]}: 20 converged resources in a region AWS then denies
 *       every call in are deleted; their calls per minute, and how fast 10 new resources in another
 *       namespace converge meanwhile; then the denial is lifted.
 *   <li>{@code TenantBudgets waiting [minutes]}: 200 resources for endpoints that do not exist;
 *       DescribeEndpoint calls per minute.
 *   <li>{@code TenantBudgets burst}: 40 resources in one namespace at once (80 PutMetricAlarm,
 *       about 30 s of the account's pace), then one in another; how long each namespace's paced
 *       calls waited ({@code smsp_aws_pacing_wait}), how soon the late one writes to AWS and is
 *       Ready, and how many passes {@code PassAdmission} deferred for it.
 * </ul>
 *
 * Prints a Markdown table per phase (docs/benchmarks/tenants.md holds a run's). Not a test: the
 * figures are compared with the budget by the reader.
 */
public final class TenantBudgets {
  private static final String DENIED_REGION = "us-west-2";
  private static final Path SEED = Path.of("examples/realtime-seed.yaml");

  private TenantBudgets() {}

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    TestEnvironment.ensureStarted();
    TestEnvironment.resetMoto();
    int status = 0;
    try (AwsProxy proxy = new AwsProxy(TestEnvironment.motoEndpoint())) {
      switch (args.length > 0 ? args[0] : "") {
        case "denied" -> deniedDeletion(proxy, minutes);
        case "waiting" -> waitingEndpoints(proxy, minutes);
        case "burst" -> burst(proxy);
        default -> {
          System.err.println("usage: TenantBudgets denied|waiting|burst [minutes]");
          status = 2;
        }
      }
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private static void deniedDeletion(AwsProxy proxy, int minutes) throws Exception {
    String doomedNs = OperatorHarness.newNamespace("doomed");
    String othersNs = OperatorHarness.newNamespace("others");
    Moto west = new Moto(TestEnvironment.motoEndpoint(), DENIED_REGION);
    Moto east = new Moto(TestEnvironment.motoEndpoint());
    try (OperatorRuntime operator = start(proxy, Set.of(doomedNs, othersNs))) {
      List<String> doomed = IntStream.range(0, 20).mapToObj(i -> "doomed-" + i).toList();
      for (String name : doomed) {
        west.createEndpoint(name, "prod", "ml.c5.2xlarge", 1);
        SageMakerScalingPolicy resource = manifest(doomedNs, name, name);
        resource.getSpec().setAws(new AwsSettings());
        resource.getSpec().getAws().setRegion(DENIED_REGION);
        client().resource(resource).create();
      }
      awaitAll(doomedNs, doomed, r -> OperatorHarness.isTrue(r, "Ready"), Duration.ofMinutes(5));
      System.out.printf(
          "20 resources Ready in %s; AWS objects there: %d%n", DENIED_REGION, count(west));

      proxy.denyRegion(DENIED_REGION);
      long denied = System.nanoTime();
      long total = sum(proxy.calls());
      for (String name : doomed) {
        client()
            .resources(SageMakerScalingPolicy.class)
            .inNamespace(doomedNs)
            .withName(name)
            .delete();
      }
      List<String> others = IntStream.range(0, 10).mapToObj(i -> "other-" + i).toList();
      for (String name : others) {
        east.createEndpoint(name, "prod", "ml.c5.2xlarge", 1);
        client().resource(manifest(othersNs, name, name)).create();
      }
      Duration othersReady =
          awaitAll(
              othersNs, others, r -> OperatorHarness.isTrue(r, "Ready"), Duration.ofMinutes(5));
      System.out.printf(
          "10 resources in another namespace created with the deletions: all Ready %.1f s after%n",
          othersReady.toMillis() / 1000.0);

      System.out.println(
          "| minute after the denial | refused calls (20 deleting resources) | calls/s | all AWS"
              + " calls/s |");
      System.out.println("|---|---|---|---|");
      int refusedBefore = 0;
      for (int minute = 0; minute < minutes; minute++) {
        sleepUntil(denied + Duration.ofMinutes(minute + 1).toNanos());
        int refused = proxy.denied().size();
        long all = sum(proxy.calls());
        System.out.printf(
            "| %d–%d | %d | %.2f | %.2f |%n",
            minute,
            minute + 1,
            refused - refusedBefore,
            (refused - refusedBefore) / 60.0,
            (all - total) / 60.0);
        refusedBefore = refused;
        total = all;
      }
      long stillThere =
          doomed.stream()
              .filter(
                  n ->
                      client()
                              .resources(SageMakerScalingPolicy.class)
                              .inNamespace(doomedNs)
                              .withName(n)
                              .get()
                          != null)
              .count();
      System.out.printf(
          "after %d minutes: %d of 20 still held by their finalizer%n", minutes, stillThere);

      proxy.denyRegion(null);
      long lifted = System.nanoTime();
      awaitAll(doomedNs, doomed, r -> r == null, Duration.ofMinutes(8));
      System.out.printf(
          "denial lifted: all 20 gone %.1f s later; AWS objects left in %s: %d%n",
          (System.nanoTime() - lifted) / 1e9, DENIED_REGION, count(west));
    } finally {
      west.close();
      east.close();
    }
  }

  private static void waitingEndpoints(AwsProxy proxy, int minutes) throws Exception {
    String ns = OperatorHarness.newNamespace("waiting");
    try (OperatorRuntime operator = start(proxy, Set.of(ns))) {
      long started = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        client().resource(manifest(ns, "typo-" + i, "no-such-endpoint-" + i)).create();
      }
      System.out.printf("200 resources created in %.1f s%n", (System.nanoTime() - started) / 1e9);
      System.out.println("| minute | DescribeEndpoint | per second | all AWS calls |");
      System.out.println("|---|---|---|---|");
      Map<String, Long> before = Map.of();
      for (int minute = 0; minute < minutes; minute++) {
        sleepUntil(started + Duration.ofMinutes(minute + 1).toNanos());
        Map<String, Long> now = proxy.calls();
        long describes =
            now.getOrDefault("DescribeEndpoint", 0L) - before.getOrDefault("DescribeEndpoint", 0L);
        System.out.printf(
            "| %d–%d | %d | %.2f | %d |%n",
            minute, minute + 1, describes, describes / 60.0, sum(now) - sum(before));
        before = now;
      }
      System.out.println("calls by operation over the run: " + proxy.calls());
    }
  }

  private static void burst(AwsProxy proxy) throws Exception {
    String noisyNs = OperatorHarness.newNamespace("noisy");
    String quietNs = OperatorHarness.newNamespace("quiet");
    Moto east = new Moto(TestEnvironment.motoEndpoint());
    try (OperatorRuntime operator = start(proxy, Set.of(noisyNs, quietNs))) {
      List<String> noisy = IntStream.range(0, 40).mapToObj(i -> "noisy-" + i).toList();
      for (String name : noisy) {
        east.createEndpoint(name, "prod", "ml.c5.2xlarge", 1);
      }
      east.createEndpoint("quiet-0", "prod", "ml.c5.2xlarge", 1);
      long started = System.nanoTime();
      for (String name : noisy) {
        client().resource(manifest(noisyNs, name, name)).create();
      }
      Thread.sleep(3_000);
      long cpuBefore = processCpuNanos();
      long quietCreated = System.nanoTime();
      client().resource(manifest(quietNs, "quiet-0", "quiet-0")).create();
      // The quiet resource's first write to AWS: its scalable target appearing in moto.
      CompletableFuture<Duration> quietFirstWrite =
          CompletableFuture.supplyAsync(
              () -> {
                while (east.targets().stream()
                    .noneMatch(t -> t.resourceId().contains("/quiet-0/"))) {
                  sleepQuietly(200);
                }
                return Duration.ofNanos(System.nanoTime() - quietCreated);
              });
      Duration quietReady =
          awaitAll(
              quietNs,
              List.of("quiet-0"),
              r -> OperatorHarness.isTrue(r, "Ready"),
              Duration.ofMinutes(3));
      awaitAll(noisyNs, noisy, r -> OperatorHarness.isTrue(r, "Ready"), Duration.ofMinutes(5));
      double noisyReadySeconds = (System.nanoTime() - started) / 1e9;
      double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
      System.out.printf(
          "40 resources in %s created at once; 1 in %s created %.1f s later: its first AWS write"
              + " %.1f s and Ready %.1f s after its creation; the 40 all Ready %.1f s after"
              + " theirs%n",
          noisyNs,
          quietNs,
          (quietCreated - started) / 1e9,
          quietFirstWrite.get(1, TimeUnit.MINUTES).toMillis() / 1000.0,
          quietReady.toMillis() / 1000.0,
          noisyReadySeconds);
      System.out.printf(
          "passes deferred (smsp_passes_deferred): %s; operator JVM CPU from the quiet creation"
              + " until all were Ready: %.1f s%n",
          deferrals(operator), cpuSeconds);
      System.out.println(
          "| namespace | operation | paced calls | mean wait (s) | longest wait (s) |");
      System.out.println("|---|---|---|---|---|");
      for (Timer timer : operator.registry().find("smsp_aws_pacing_wait").timers()) {
        System.out.printf(
            "| %s | %s | %d | %.2f | %.2f |%n",
            timer.getId().getTag("namespace").startsWith("noisy")
                ? "noisy (40 resources)"
                : timer.getId().getTag("namespace").startsWith("quiet")
                    ? "quiet (1 resource)"
                    : "(operator)",
            timer.getId().getTag("operation"),
            timer.count(),
            timer.mean(TimeUnit.SECONDS),
            timer.max(TimeUnit.SECONDS));
      }
    } finally {
      east.close();
    }
  }

  /** The operator with the production defaults: 5 min resync, 10 reconciler threads. */
  private static OperatorRuntime start(AwsProxy proxy, Set<String> namespaces) throws Exception {
    return OperatorRuntime.start(
        new RunCommand.OperatorSettings(
            namespaces, null, Duration.ofMinutes(5), "bench", 0, null, null, 10),
        client(),
        new AwsClientFactory.Settings(
            Optional.of(Moto.REGION),
            Optional.of(proxy.endpoint()),
            Moto.CREDENTIALS,
            3,
            Duration.ofSeconds(30)));
  }

  private static KubernetesClient client() {
    return TestEnvironment.client();
  }

  private static SageMakerScalingPolicy manifest(String namespace, String name, String endpoint) {
    SageMakerScalingPolicy resource = Examples.load(SEED, namespace);
    resource.getMetadata().setName(name);
    resource.getSpec().getTarget().setEndpointName(endpoint);
    return resource;
  }

  /** Waits until every named resource satisfies {@code done} (null: gone); returns how long. */
  private static Duration awaitAll(
      String namespace, List<String> names, Predicate<SageMakerScalingPolicy> done, Duration max)
      throws InterruptedException {
    long start = System.nanoTime();
    while (System.nanoTime() - start < max.toNanos()) {
      Map<String, SageMakerScalingPolicy> byName = new HashMap<>();
      client()
          .resources(SageMakerScalingPolicy.class)
          .inNamespace(namespace)
          .list()
          .getItems()
          .forEach(r -> byName.put(r.getMetadata().getName(), r));
      if (names.stream().allMatch(n -> done.test(byName.get(n)))) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("not all of " + names + " in " + namespace + " within " + max);
  }

  private static Map<String, Long> deferrals(OperatorRuntime operator) {
    Map<String, Long> byNamespace = new TreeMap<>();
    for (Counter counter : operator.registry().find("smsp_passes_deferred").counters()) {
      byNamespace.put(counter.getId().getTag("namespace"), (long) counter.count());
    }
    return byNamespace;
  }

  /**
   * CPU time of this JVM (the operator and the benchmark's polling; not etcd, API server, moto).
   */
  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int count(Moto moto) {
    return moto.targets().size() + moto.policies().size() + moto.alarms().size();
  }

  private static long sum(Map<String, Long> calls) {
    return calls.values().stream().mapToLong(Long::longValue).sum();
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
  }
}
