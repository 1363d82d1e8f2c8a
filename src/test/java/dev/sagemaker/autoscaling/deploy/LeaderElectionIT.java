package dev.sagemaker.autoscaling.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.cli.OperatorRuntime;
import dev.sagemaker.autoscaling.cli.RunCommand;
import dev.sagemaker.autoscaling.testing.Chart;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas of the operator (as with {@code replicaCount: 2}) compete for one Lease: only the
 * leader talks to AWS, and the standby takes over when the leader stops.
 */
class LeaderElectionIT {
  private static final Duration RESYNC = Duration.ofSeconds(3);

  /** The replicas are started by each test; the fixture's namespace is the one they watch. */
  @RegisterExtension final OperatorExtension fixture = OperatorExtension.withoutOperator();

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String id;
  private String watched;
  private String leaseNamespace;
  private String leaseName;

  /** One replica: its own client, runtime and identity in the Lease. */
  private record Replica(
      String identity,
      KubernetesClient client,
      OperatorRuntime runtime,
      AtomicBoolean lostLeadership,
      AtomicBoolean stopped)
      implements AutoCloseable {
    @Override
    public void close() {
      if (stopped.compareAndSet(false, true)) {
        try {
          runtime.close();
        } finally {
          client.close();
        }
      }
    }
  }

  @BeforeEach
  void start() {
    id = UUID.randomUUID().toString().substring(0, 8);
    watched = fixture.namespace();
    leaseNamespace = fixture.createNamespace("le-system");
    leaseName = "le-" + id + "-operator";
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private Replica startReplica(String identity) throws Exception {
    KubernetesClient client = Chart.newAdminClient();
    AtomicBoolean lost = new AtomicBoolean();
    RunCommand.OperatorSettings settings =
        new RunCommand.OperatorSettings(
            Set.of(watched), null, RESYNC, "test", 0, leaseName, leaseNamespace, 4);
    OperatorRuntime runtime =
        OperatorRuntime.start(
            settings,
            client,
            Chart.motoAws(),
            OperatorRuntime.LeaderElection.defaults()
                .withIdentity(identity)
                .whenLeadershipLost(() -> lost.set(true)));
    Replica replica = new Replica(identity, client, runtime, lost, new AtomicBoolean());
    toClose.add(replica);
    return replica;
  }

  private Lease lease() {
    return TestEnvironment.client().leases().inNamespace(leaseNamespace).withName(leaseName).get();
  }

  private String holder() {
    Lease lease = lease();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOver() throws Exception {
    Replica a = startReplica("operator-a-" + id);
    Replica b = startReplica("operator-b-" + id);
    await().atMost(Duration.ofSeconds(30)).until(() -> holder() != null);
    Replica leader = holder().equals(a.identity()) ? a : b;
    Replica standby = leader == a ? b : a;
    assertThat(holder()).isEqualTo(leader.identity());

    fixture.seed("first", "le-" + id + "-first");
    fixture.awaitReady("first");
    // Several resync periods: a standby that reconciled would have called AWS by now.
    long reads = leader.runtime().awsCalls().reads();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> leader.runtime().awsCalls().reads() >= reads + 10);

    assertThat(leader.runtime().awsCalls().countsByOperation())
        .containsKeys("DescribeEndpoint", "RegisterScalableTarget", "PutScalingPolicy");
    assertThat(standby.runtime().awsCalls().countsByOperation())
        .as("AWS calls of the standby")
        .isEmpty();
    assertThat(holder()).isEqualTo(leader.identity());

    // The leader stops (a rolling update or a drained node): it releases the Lease, so the standby
    // takes
    // over at its next attempt instead of after the 15-second lease, and reconciles a resource
    // created meanwhile.
    long stopped = System.nanoTime();
    leader.close();
    fixture.seed("second", "le-" + id + "-second");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> standby.identity().equals(holder()));
    double handover = (System.nanoTime() - stopped) / 1e9;
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fixture.isReady("second"));
    double failover = (System.nanoTime() - stopped) / 1e9;
    System.out.printf(
        "leader stopped -> standby holds the Lease: %.1f s; -> new resource Ready: %.1f s%n",
        handover, failover);

    assertThat(holder()).isEqualTo(standby.identity());
    assertThat(standby.runtime().awsCalls().countsByOperation())
        .containsKeys("RegisterScalableTarget", "PutScalingPolicy");
    assertThat(fixture.moto().targets())
        .extracting(t -> t.resourceId())
        .containsExactlyInAnyOrder(
            "endpoint/le-" + id + "-first/variant/prod",
            "endpoint/le-" + id + "-second/variant/prod");
    assertThat(fixture.isReady("first")).isTrue();
    assertThat(leader.lostLeadership()).as("stopping is not losing the Lease").isFalse();
    assertThat(standby.lostLeadership()).isFalse();
  }

  @Test
  void sigtermStopsALeadingOperatorProcessPromptly() throws Exception {
    // The jar as the container runs it, configured through the environment as the chart's
    // Deployment does.
    Path log = Path.of("target/leader-election-process.log");
    String identity = "operator-process-" + id;
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                "target/sagemaker-autoscaling-operator.jar")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", fixture.kubeconfig().toString());
    env.put("HOSTNAME", identity);
    env.put("WATCH_NAMESPACES", watched);
    env.put("LEADER_ELECTION_ENABLED", "true");
    env.put("LEADER_ELECTION_LEASE_NAME", leaseName);
    env.put("LEADER_ELECTION_NAMESPACE", leaseNamespace);
    env.put("METRICS_PORT", "0");
    env.put("CLUSTER_NAME", "test");
    env.put("LOG_FORMAT", "text");
    env.put("AWS_REGION", Moto.REGION);
    env.put("AWS_ENDPOINT_URL", TestEnvironment.motoEndpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    Process process = builder.start();
    try {
      fixture.seed("first", "le-" + id + "-first");
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(process.isAlive()).as("operator process (see %s)", log).isTrue();
                assertThat(holder()).isEqualTo(identity);
                assertThat(fixture.isReady("first")).isTrue();
              });

      // A second replica stands by, as in a rolling update with replicaCount 2.
      Replica standby = startReplica("operator-standby-" + id);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> identity.equals(holder()));

      long signalled = System.nanoTime();
      process.destroy(); // SIGTERM, as the kubelet sends it
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> standby.identity().equals(holder()));
      double handover = (System.nanoTime() - signalled) / 1e9;
      boolean exited = process.waitFor(25, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - signalled) / 1e9;
      assertThat(exited)
          .as(
              "the leader exits within 25 s of SIGTERM (the chart's grace period is 30 s); see %s",
              log)
          .isTrue();
      System.out.printf(
          "operator process stopped %.1f s after SIGTERM, exit code %d; the standby held the Lease"
              + " %.1f s after SIGTERM%n",
          seconds, process.exitValue(), handover);
      assertThat(Files.readString(log))
          .as("the leader says it released the Lease")
          .contains("released the leader-election Lease");
    } finally {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
