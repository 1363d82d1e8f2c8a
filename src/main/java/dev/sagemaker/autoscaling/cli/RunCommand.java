package dev.sagemaker.autoscaling.cli;

import dev.sagemaker.autoscaling.aws.AwsClientFactory;
import dev.sagemaker.autoscaling.aws.RateLimits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs the operator: Kubernetes from KUBECONFIG or the pod's service account, AWS from the SDK's usual sources. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the operator (the default command).")
public final class RunCommand implements Callable<Integer> {

  @Option(names = "--namespaces", defaultValue = "${env:WATCH_NAMESPACES:-}", split = ",",
      description = "Namespaces to watch, comma-separated; empty watches all (env WATCH_NAMESPACES).")
  String[] namespaces;

  @Option(names = "--label-selector", defaultValue = "${env:LABEL_SELECTOR:-}",
      description = "Only reconcile resources matching this label selector, to shard across deployments (env LABEL_SELECTOR).")
  String labelSelector;

  @Option(names = "--resync-period", defaultValue = "${env:RESYNC_PERIOD:-5m}",
      description = "How often every resource is checked against AWS to restore drift, e.g. 5m, 90s (env RESYNC_PERIOD).")
  String resyncPeriod;

  @Option(names = "--cluster-name", defaultValue = "${env:CLUSTER_NAME:-default}",
      description = "Name of this cluster in AWS object names; a lowercase DNS label of at most 32 characters (env CLUSTER_NAME).")
  String clusterName;

  @Option(names = "--metrics-port", defaultValue = "${env:METRICS_PORT:-8080}",
      description = "Port of /metrics, /healthz and /readyz; 0 disables (env METRICS_PORT).")
  int metricsPort;

  @Option(names = "--leader-election", defaultValue = "${env:LEADER_ELECTION_ENABLED:-false}",
      description = "Elect one active replica through a Lease (env LEADER_ELECTION_ENABLED).")
  boolean leaderElection;

  @Option(names = "--lease-name", defaultValue = "${env:LEADER_ELECTION_LEASE_NAME:-sagemaker-autoscaling-operator}",
      description = "Name of the leader-election Lease (env LEADER_ELECTION_LEASE_NAME).")
  String leaseName;

  @Option(names = "--lease-namespace", defaultValue = "${env:LEADER_ELECTION_NAMESPACE:-${env:POD_NAMESPACE:-}}",
      description = "Namespace of the Lease; defaults to the pod's namespace (env LEADER_ELECTION_NAMESPACE).")
  String leaseNamespace;

  @Option(names = "--aws-max-attempts", defaultValue = "${env:AWS_MAX_ATTEMPTS:-3}",
      description = "Attempts per AWS call before the reconciler's own backoff takes over (env AWS_MAX_ATTEMPTS).")
  int awsMaxAttempts;

  @Option(names = "--aws-rate-limits", defaultValue = "${env:AWS_RATE_LIMITS:-}",
      description = "Calls per second per AWS operation, e.g. PutMetricAlarm=3,DeleteAlarms=3,DescribeAlarms=9 (the defaults,"
          + " CloudWatch's published quotas); Operation=0 lifts a limit (env AWS_RATE_LIMITS).")
  String awsRateLimits;

  @Option(names = "--concurrency", defaultValue = "${env:RECONCILE_THREADS:-10}",
      description = "Resources reconciled in parallel (env RECONCILE_THREADS).")
  int concurrency;

  @Spec
  CommandSpec spec;

  /**
   * The longest cluster name: every AWS name is {@code smsp_<cluster>_<namespace>_<name>_<item>[_lower|_upper]}
   * and AWS allows 255 characters (alarm names; 256 for policies and scheduled actions). With a 63-character
   * namespace and item name the fixed parts take 140, so a 32-character cluster name leaves any resource up to
   * 83 characters of name; the spec validator reports the rare longer combination on the resource itself.
   */
  static final int MAX_CLUSTER_NAME_LENGTH = 32;
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** Why the cluster name cannot be used in AWS object names, if it cannot. */
  static Optional<String> clusterNameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("the cluster name (--cluster-name, env CLUSTER_NAME) must not be empty");
    }
    if (name.length() > MAX_CLUSTER_NAME_LENGTH) {
      return Optional.of("the cluster name '" + name + "' has " + name.length() + " characters; at most " + MAX_CLUSTER_NAME_LENGTH
          + " leave room for namespace, resource and item in AWS names (255 characters)");
    }
    if (!DNS_LABEL.matcher(name).matches()) {
      return Optional.of("the cluster name '" + name + "' must be a DNS label: lowercase letters, digits and '-', starting and"
          + " ending with a letter or digit (no '_', which separates the parts of the operator's AWS names)");
    }
    return Optional.empty();
  }

  @Override
  public Integer call() throws Exception {
    Optional<String> clusterNameProblem = clusterNameProblem(clusterName);
    if (clusterNameProblem.isPresent()) {
      throw new ParameterException(spec.commandLine(), clusterNameProblem.get());
    }
    OperatorSettings settings = new OperatorSettings(
        Arrays.stream(namespaces).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet()),
        labelSelector.isBlank() ? null : labelSelector,
        parseDuration(resyncPeriod),
        clusterName,
        metricsPort,
        leaderElection ? leaseName : null,
        leaseNamespace.isBlank() ? null : leaseNamespace,
        concurrency);
    OperatorRuntime runtime;
    // The runtime builds its own client from this one's configuration (see OperatorRuntime#start).
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      runtime = OperatorRuntime.start(settings, client, AwsClientFactory.Settings.fromEnvironment(awsMaxAttempts, RateLimits.parse(awsRateLimits)));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runtime.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
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
      int concurrency) {}
}
