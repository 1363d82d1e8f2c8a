package dev.sagemaker.autoscaling.cli;

import dev.sagemaker.autoscaling.aws.AwsClientFactory;
import dev.sagemaker.autoscaling.aws.RateLimits;
import dev.sagemaker.autoscaling.reconcile.ScalingStory;
import dev.sagemaker.autoscaling.tenancy.ClusterIdentity;
import dev.sagemaker.autoscaling.tenancy.SessionIdentity;
import dev.sagemaker.autoscaling.tenancy.TenancyMode;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the operator: Kubernetes from KUBECONFIG or the pod's service account, AWS from the SDK's
 * usual sources.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the operator (the default command).")
public final class RunCommand implements Callable<Integer> {

  @Option(
      names = "--namespaces",
      defaultValue = "${env:WATCH_NAMESPACES:-}",
      split = ",",
      description =
          "Namespaces to watch, comma-separated; empty watches all (env WATCH_NAMESPACES).")
  String[] namespaces;

  @Option(
      names = "--label-selector",
      defaultValue = "${env:LABEL_SELECTOR:-}",
      description =
          "Only reconcile resources matching this label selector, to shard across deployments (env"
              + " LABEL_SELECTOR).")
  String labelSelector;

  @Option(
      names = "--resync-period",
      defaultValue = "${env:RESYNC_PERIOD:-5m}",
      description =
          "How often every resource is checked against AWS to restore drift, e.g. 5m, 90s (env"
              + " RESYNC_PERIOD).")
  String resyncPeriod;

  @Option(
      names = "--held-at-max-warning-after",
      defaultValue = "${env:HELD_AT_MAX_WARNING_AFTER:-15m}",
      description =
          "How long a target may be held at its max capacity by not-scaled activities before a"
              + " HeldAtMaxCapacity Warning Event, e.g. 15m (env HELD_AT_MAX_WARNING_AFTER).")
  String heldAtMaxWarningAfter;

  @Option(
      names = "--alarm-without-data-warning-after",
      defaultValue = "${env:ALARM_WITHOUT_DATA_WARNING_AFTER:-15m}",
      description =
          "How long a step alarm may be in INSUFFICIENT_DATA before an AlarmWithoutData Warning"
              + " Event, e.g. 15m (env ALARM_WITHOUT_DATA_WARNING_AFTER).")
  String alarmWithoutDataWarningAfter;

  @Option(
      names = "--cluster-name",
      defaultValue = "${env:CLUSTER_NAME:-}",
      description =
          "Name of this cluster in AWS object names and owner tags; a lowercase DNS label of at"
              + " most 52 characters. Empty derives one from the kube-system namespace's UID (env"
              + " CLUSTER_NAME).")
  String clusterName;

  @Option(
      names = "--metrics-port",
      defaultValue = "${env:METRICS_PORT:-8080}",
      description = "Port of /metrics, /healthz and /readyz; 0 disables (env METRICS_PORT).")
  int metricsPort;

  @Option(
      names = "--leader-election",
      defaultValue = "${env:LEADER_ELECTION_ENABLED:-false}",
      description = "Elect one active replica through a Lease (env LEADER_ELECTION_ENABLED).")
  boolean leaderElection;

  @Option(
      names = "--lease-name",
      defaultValue = "${env:LEADER_ELECTION_LEASE_NAME:-sagemaker-autoscaling-operator}",
      description = "Name of the leader-election Lease (env LEADER_ELECTION_LEASE_NAME).")
  String leaseName;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:LEADER_ELECTION_NAMESPACE:-${env:POD_NAMESPACE:-}}",
      description =
          "Namespace of the Lease; defaults to the pod's namespace (env"
              + " LEADER_ELECTION_NAMESPACE).")
  String leaseNamespace;

  @Option(
      names = "--aws-max-attempts",
      defaultValue = "${env:AWS_MAX_ATTEMPTS:-3}",
      description =
          "Attempts per AWS call before the reconciler's own backoff takes over (env"
              + " AWS_MAX_ATTEMPTS).")
  int awsMaxAttempts;

  @Option(
      names = "--aws-rate-limits",
      defaultValue = "${env:AWS_RATE_LIMITS:-}",
      description =
          "Calls per second per AWS operation, e.g."
              + " PutMetricAlarm=3,DeleteAlarms=3,DescribeAlarms=9 (the defaults, CloudWatch's"
              + " published quotas); Operation=0 lifts a limit (env AWS_RATE_LIMITS).")
  String awsRateLimits;

  @Option(
      names = "--concurrency",
      defaultValue = "${env:RECONCILE_THREADS:-10}",
      description =
          "Resources reconciled in parallel, shared between namespaces (env"
              + " RECONCILE_THREADS).")
  int concurrency;

  @Option(
      names = "--tenancy",
      defaultValue = "${env:TENANCY:-namespace-grants}",
      description =
          "namespace-grants: a resource may only do what its namespace's"
              + " autoscaling.sagemaker.dev/allowed-* annotations grant; open: every namespace may"
              + " drive every target (env TENANCY).")
  String tenancy;

  @Option(
      names = "--assume-role-external-id",
      defaultValue = "${env:AWS_ASSUME_ROLE_EXTERNAL_ID:-}",
      description =
          "ExternalId sent with every AssumeRole of a spec.aws.roleArn, for trust policies that"
              + " require sts:ExternalId; empty sends none (env AWS_ASSUME_ROLE_EXTERNAL_ID).")
  String externalId;

  @Override
  public Integer call() throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().build();
    String cluster;
    TenancyMode tenancyMode;
    try {
      cluster = clusterName(clusterName, client);
      tenancyMode = TenancyMode.parse(tenancy);
      if (!externalId.isEmpty()) {
        SessionIdentity.externalIdProblem(externalId)
            .ifPresent(
                p -> {
                  throw new IllegalArgumentException(p);
                });
      }
    } catch (IllegalArgumentException e) {
      System.err.println("run: " + e.getMessage());
      client.close();
      return 2;
    }
    OperatorSettings settings =
        new OperatorSettings(
            Arrays.stream(namespaces)
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet()),
            labelSelector.isBlank() ? null : labelSelector,
            parseDuration(resyncPeriod),
            cluster,
            metricsPort,
            leaderElection ? leaseName : null,
            leaseNamespace.isBlank() ? null : leaseNamespace,
            concurrency,
            tenancyMode,
            new ScalingStory.Thresholds(
                parseDuration(heldAtMaxWarningAfter), parseDuration(alarmWithoutDataWarningAfter)));
    OperatorRuntime runtime;
    // The runtime builds its own client from this one's configuration (see OperatorRuntime#start).
    try (client) {
      runtime =
          OperatorRuntime.start(
              settings,
              client,
              AwsClientFactory.Settings.fromEnvironment(
                  awsMaxAttempts,
                  RateLimits.parse(awsRateLimits),
                  externalId.isEmpty() ? Optional.empty() : Optional.of(externalId)));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runtime.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * The explicit cluster name, validated, else one derived from the kube-system namespace's UID, so
   * two clusters sharing an AWS account never share names by default.
   *
   * @throws IllegalArgumentException naming what is wrong with the explicit name or the UID
   */
  public static String clusterName(String explicit, KubernetesClient client) {
    if (explicit != null && !explicit.isBlank()) {
      return ClusterIdentity.resolve(Optional.of(explicit), null);
    }
    Namespace kubeSystem = client.namespaces().withName("kube-system").get();
    if (kubeSystem == null) {
      throw new IllegalArgumentException(
          "the kube-system namespace does not exist, so no cluster name can be derived;"
              + " set --cluster-name (env CLUSTER_NAME)");
    }
    return ClusterIdentity.resolve(Optional.empty(), kubeSystem.getMetadata().getUid());
  }

  /** Accepts 5m, 90s, 2h or ISO-8601 (PT5M). */
  public static Duration parseDuration(String value) {
    String v = value.trim();
    if (v.toUpperCase().startsWith("P")) {
      return Duration.parse(v);
    }
    long amount = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException("duration must end in s, m or h: " + value);
    };
  }

  /** Everything the running operator is configured with. */
  public record OperatorSettings(
      Set<String> namespaces,
      String labelSelector,
      Duration resyncPeriod,
      String clusterName,
      int metricsPort,
      String leaseName,
      String leaseNamespace,
      int concurrency,
      TenancyMode tenancy,
      ScalingStory.Thresholds scalingWarnings) {
    public OperatorSettings {
      Objects.requireNonNull(tenancy, "tenancy");
      Objects.requireNonNull(scalingWarnings, "scalingWarnings");
    }

    /** With the default thresholds of the scaling Warnings (15 minutes each). */
    public OperatorSettings(
        Set<String> namespaces,
        String labelSelector,
        Duration resyncPeriod,
        String clusterName,
        int metricsPort,
        String leaseName,
        String leaseNamespace,
        int concurrency,
        TenancyMode tenancy) {
      this(
          namespaces,
          labelSelector,
          resyncPeriod,
          clusterName,
          metricsPort,
          leaseName,
          leaseNamespace,
          concurrency,
          tenancy,
          ScalingStory.Thresholds.defaults());
    }

    /** With the default tenancy, namespace grants. */
    public OperatorSettings(
        Set<String> namespaces,
        String labelSelector,
        Duration resyncPeriod,
        String clusterName,
        int metricsPort,
        String leaseName,
        String leaseNamespace,
        int concurrency) {
      this(
          namespaces,
          labelSelector,
          resyncPeriod,
          clusterName,
          metricsPort,
          leaseName,
          leaseNamespace,
          concurrency,
          TenancyMode.NAMESPACE_GRANTS);
    }

    public OperatorSettings withTenancy(TenancyMode mode) {
      return new OperatorSettings(
          namespaces,
          labelSelector,
          resyncPeriod,
          clusterName,
          metricsPort,
          leaseName,
          leaseNamespace,
          concurrency,
          mode,
          scalingWarnings);
    }
  }
}
