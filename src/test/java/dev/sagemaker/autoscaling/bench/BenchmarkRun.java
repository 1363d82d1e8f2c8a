package dev.sagemaker.autoscaling.bench;

import dev.sagemaker.autoscaling.testing.AwsProxy;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One benchmark for one N, phase by phase: converge, one steady-state resync, spec changes,
 * restart. The results file is rewritten after every phase, so a run cut short still leaves what it
 * measured, marked partial.
 */
final class BenchmarkRun {
  static final String CLUSTER = "bench";
  private static final String OPERATOR_NAMESPACE = "bench-system";
  private static final Path WORK = Path.of("target/bench");
  private static final boolean QUICK = System.getenv("BENCH_QUICK") != null;

  private final int n;
  private final Fleet.Variant variant;
  private final Duration resync;
  private final Instant deadline;
  private final List<String> notes = new ArrayList<>();
  private final List<BenchmarkResult.Memory> memory = new ArrayList<>();
  private BenchmarkResult.Setup setup;
  private BenchmarkResult.Convergence convergence;
  private BenchmarkResult.SteadyState firstResync;
  private BenchmarkResult.SteadyState steadyState;
  private BenchmarkResult.SpecChange specChange;
  private BenchmarkResult.Restart restart;
  private BenchmarkResult.Deletion deletion;

  BenchmarkRun(int n, Fleet.Variant variant, Duration resync, Duration budget) {
    this.n = n;
    this.variant = variant;
    this.resync = resync;
    this.deadline = Instant.now().plus(budget);
  }

  void execute() throws Exception {
    ChartDefaults chart = ChartDefaults.read();
    setup =
        new BenchmarkResult.Setup(
            n,
            Math.min(n, Fleet.NAMESPACES),
            Instant.now().truncatedTo(ChronoUnit.MINUTES).toString(),
            System.getenv().getOrDefault("BENCH_COMMIT", "unknown"),
            Runtime.getRuntime().availableProcessors(),
            chart.jvmFlags(),
            resync.toSeconds() + "s",
            "unset (the operator's default)",
            Fleet.neededWritesPerResource(CLUSTER, variant),
            variant.label);
    log(
        "N=%d, fleet %s, RESYNC_PERIOD=%s, operator JVM flags %s",
        n, variant.label, setup.resyncPeriod(), setup.jvmFlags());

    TestEnvironment.ensureStarted();
    TestEnvironment.resetMoto();
    KubernetesClient client = TestEnvironment.client();
    Files.createDirectories(WORK);
    Path kubeconfig = WORK.resolve("kubeconfig");
    Files.writeString(kubeconfig, TestEnvironment.kubeconfigYaml());
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(OPERATOR_NAMESPACE)
                .endMetadata()
                .build())
        .create();

    try (Moto moto = new Moto(TestEnvironment.motoEndpoint());
        AwsProxy proxy = new AwsProxy(TestEnvironment.motoEndpoint());
        FleetWatch watch = FleetWatch.start(client)) {
      Fleet fleet = Fleet.of(n, variant);
      long started = System.nanoTime();
      fleet.create(client, moto);
      long seen = watch.await(s -> true, n, Duration.ofMinutes(2));
      log(
          "created %d endpoints in moto and %d resources (%d seen by the watch) in %.0f s",
          n, n, seen, Rig.secondsSince(started));
      Rig rig = new Rig(client, watch, proxy, fleet, launch(chart, kubeconfig, proxy), CLUSTER);
      measure(rig);
      if (!proxy.unparsed().isEmpty()) {
        // A call the proxy cannot name would make every count in the report suspect.
        notes.add(
            "The proxy could not name "
                + proxy.unparsed().size()
                + " requests: "
                + proxy.unparsed());
        save();
        throw new IllegalStateException("requests the proxy could not parse: " + proxy.unparsed());
      }
    }
  }

  private void measure(Rig rig) throws Exception {
    rig.proxy().mark();
    OperatorProcess operator = OperatorProcess.start(rig.launch(), "first");
    try {
      log("converging");
      // Pacing puts a floor under convergence: 2 alarms per resource at 2.7 PutMetricAlarm/s is
      // 0.74 s each.
      convergence =
          ConvergencePhase.run(rig, operator, cap(Duration.ofSeconds(Math.max(180, n * 12L / 10))));
      save();
      log("%d of %d Ready after %.1f s", convergence.ready(), n, convergence.seconds());
      if (!convergence.complete()) {
        notes.add("Convergence did not finish in time; later phases were skipped.");
        memory.add(MemoryProbe.measure(operator, "first JVM"));
        return;
      }

      log("first resync after converging (up to %s)", resync);
      firstResync = SteadyStatePhase.run(rig, operator, resync, cap(resync.plusMinutes(2)));
      save();
      log("steady-state resync window (up to %s)", resync);
      steadyState = SteadyStatePhase.run(rig, operator, resync, cap(resync.plusMinutes(2)));
      save();
      if (QUICK) {
        // For trying one lever after another: memory peaks while converging.
        memory.add(MemoryProbe.measure(operator, "first JVM"));
        notes.add("BENCH_QUICK: converging and two resyncs only.");
        return;
      }

      int samples = Math.min(n, 50);
      log("spec changes on %d resources", samples);
      specChange = SpecChangePhase.run(rig, samples);
      save();
      rig.watch().await(FleetWatch.State::readyAtCurrentGeneration, n, cap(Duration.ofMinutes(1)));

      memory.add(MemoryProbe.measure(operator, "first JVM"));
      log("restarting the operator");
      RestartPhase.Outcome restarted =
          RestartPhase.run(rig, operator, cap(Duration.ofSeconds(Math.max(120, n * 3L / 10))));
      operator = restarted.operator();
      restart = restarted.result();
      notes.add("The first operator JVM " + restarted.previousStopped() + ".");
      log("%d of %d verified %.1f s after the restart", restart.verified(), n, restart.seconds());
      memory.add(MemoryProbe.measure(operator, "restarted JVM"));
      save();

      log("deleting all %d resources", n);
      deletion = DeletionPhase.run(rig, operator, cap(Duration.ofSeconds(Math.max(120, n * 2L))));
      log("%d of %d gone after %.1f s", n - deletion.remaining(), n, deletion.seconds());
    } catch (Exception e) {
      notes.add("The run stopped early: " + e);
      throw e;
    } finally {
      if (!operator.isAlive()) {
        notes.add("An operator JVM exited on its own; see target/bench/operator-*.log.");
      }
      if (operator.isAlive()) {
        notes.add("The last operator JVM " + operator.stop() + ".");
      }
      save();
    }
  }

  private OperatorProcess.Launch launch(ChartDefaults chart, Path kubeconfig, AwsProxy proxy) {
    // The variables the chart's Deployment sets, with the benchmark's servers in place of the
    // cluster's.
    Path noAwsFiles = WORK.resolve("no-aws-config").toAbsolutePath();
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("KUBECONFIG", kubeconfig.toAbsolutePath().toString()),
            Map.entry("POD_NAMESPACE", OPERATOR_NAMESPACE),
            Map.entry("POD_NAME", "sagemaker-autoscaling-operator-bench"),
            Map.entry("WATCH_NAMESPACES", ""),
            Map.entry("LABEL_SELECTOR", ""),
            Map.entry("RESYNC_PERIOD", resync.toSeconds() + "s"),
            Map.entry("CLUSTER_NAME", CLUSTER),
            Map.entry("LEADER_ELECTION_ENABLED", "true"),
            Map.entry("LEADER_ELECTION_LEASE_NAME", "sagemaker-autoscaling-operator"),
            Map.entry("LEADER_ELECTION_NAMESPACE", OPERATOR_NAMESPACE),
            Map.entry("MALLOC_ARENA_MAX", "2"),
            Map.entry("LOG_FORMAT", "json"),
            Map.entry("LOG_LEVEL", "info"),
            Map.entry("AWS_REGION", Moto.REGION),
            Map.entry("AWS_ENDPOINT_URL", proxy.endpoint().toString()),
            Map.entry("AWS_ACCESS_KEY_ID", "testing"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "testing"),
            // No profile files: a developer's ~/.aws/config must not change retries or endpoints.
            Map.entry("AWS_CONFIG_FILE", noAwsFiles.toString()),
            Map.entry("AWS_SHARED_CREDENTIALS_FILE", noAwsFiles.toString()));
    return new OperatorProcess.Launch(
        Path.of("target/sagemaker-autoscaling-operator.jar"), chart.jvmFlags(), env, WORK);
  }

  /**
   * A phase's timeout, shortened so the whole run ends by its deadline with time left to write
   * results.
   */
  private Duration cap(Duration timeout) {
    Duration left = Duration.between(Instant.now(), deadline).minusSeconds(30);
    if (left.compareTo(timeout) < 0) {
      notes.add(
          "A phase was cut to "
              + Math.max(0, left.toSeconds())
              + " s by the run's overall time limit.");
      return left.isNegative() ? Duration.ZERO : left;
    }
    return timeout;
  }

  private void save() throws IOException {
    ResultsFiles.save(
        new BenchmarkResult(
            setup,
            convergence,
            firstResync,
            steadyState,
            specChange,
            restart,
            deletion,
            List.copyOf(memory),
            List.copyOf(notes)));
  }

  static void log(String format, Object... args) {
    System.out.printf(
        "[bench %s] %s%n",
        Instant.now().truncatedTo(ChronoUnit.SECONDS), String.format(format, args));
  }
}
