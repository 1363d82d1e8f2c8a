package dev.sagemaker.autoscaling.cli;

import com.sun.net.httpserver.HttpServer;
import dev.sagemaker.autoscaling.api.v1alpha1.Annotations;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.AwsCallMetrics;
import dev.sagemaker.autoscaling.aws.AwsClientFactory;
import dev.sagemaker.autoscaling.reconcile.EventRecorder;
import dev.sagemaker.autoscaling.reconcile.ReconcileMetrics;
import dev.sagemaker.autoscaling.reconcile.ReconcilerSettings;
import dev.sagemaker.autoscaling.reconcile.SageMakerScalingPolicyReconciler;
import dev.sagemaker.autoscaling.reconcile.StatusBuilder;
import dev.sagemaker.autoscaling.reconcile.TenancyGate;
import dev.sagemaker.autoscaling.tenancy.TenancyMode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started operator with its health and metrics endpoint; tests and benchmarks start it the same way. */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);

  private final Operator operator;
  private final SageMakerScalingPolicyReconciler reconciler;
  private final AwsClientFactory aws;
  private final HttpServer http;
  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean closing;
  private final NamespaceCache namespaces;

  private OperatorRuntime(Operator operator, SageMakerScalingPolicyReconciler reconciler, AwsClientFactory aws, HttpServer http,
      PrometheusMeterRegistry registry, AtomicBoolean closing, NamespaceCache namespaces) {
    this.namespaces = namespaces;
    this.operator = operator;
    this.reconciler = reconciler;
    this.aws = aws;
    this.http = http;
    this.registry = registry;
    this.closing = closing;
  }

  /**
   * How this instance takes part in leader election (used only when {@code settings.leaseName()} is set).
   *
   * @param identity the holder identity in the Lease; null lets JOSDK use HOSTNAME (the pod name) or a random id
   * @param onLeadershipLost runs when the Lease is lost while the operator is running (not when it is closed)
   */
  public record LeaderElection(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, String identity,
      Runnable onLeadershipLost) {
    /** JOSDK's durations (lease 15 s, renew deadline 10 s, retry 2 s); losing the Lease exits the process. */
    public static LeaderElection defaults() {
      return new LeaderElection(LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
          LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
          null, OperatorRuntime::exitOnLostLeadership);
    }

    public LeaderElection withIdentity(String identity) {
      return new LeaderElection(leaseDuration, renewDeadline, retryPeriod, identity, onLeadershipLost);
    }

    public LeaderElection whenLeadershipLost(Runnable action) {
      return new LeaderElection(leaseDuration, renewDeadline, retryPeriod, identity, action);
    }
  }

  private static void exitOnLostLeadership() {
    // Another replica may already reconcile: stop at once, as JOSDK does by default; the pod restarts as a standby.
    LOG.error("lost the leader-election Lease while running; exiting");
    System.exit(1);
  }

  public static OperatorRuntime start(RunCommand.OperatorSettings settings, KubernetesClient client, AwsClientFactory.Settings awsSettings)
      throws IOException {
    return start(settings, client, awsSettings, LeaderElection.defaults());
  }

  public static OperatorRuntime start(RunCommand.OperatorSettings settings, KubernetesClient client, AwsClientFactory.Settings awsSettings,
      LeaderElection leaderElection) throws IOException {
    AtomicBoolean closing = new AtomicBoolean();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AwsClientFactory aws = new AwsClientFactory(awsSettings, new AwsCallMetrics(registry));
    Clock clock = Clock.systemUTC();
    NamespaceCache namespaces = settings.tenancy() == TenancyMode.OPEN ? null : NamespaceCache.start(client);
    SageMakerScalingPolicyReconciler reconciler = new SageMakerScalingPolicyReconciler(
        aws, new StatusBuilder(clock), new EventRecorder(client, clock), ReconcilerSettings.defaults(settings.clusterName(), settings.resyncPeriod()),
        new ReconcileMetrics(registry), clock,
        namespaces == null ? TenancyGate.open() : new TenancyGate(settings.tenancy(), namespaces));
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(settings.concurrency())
          .checkingCRDAndValidateLocalModel(false);
      if (settings.leaseName() != null) {
        // JOSDK 5.2.3 calls System.exit(1) whenever leadership ends, also when Operator.stop() cancels the
        // election: that killed a test JVM and, from RunCommand's shutdown hook, blocks the JVM (exit inside
        // a shutdown hook waits forever) until the kubelet's SIGKILL. So JOSDK is told not to exit, and the
        // callback below exits only when the Lease is lost while the operator is not being closed.
        LeaderCallbacks callbacks = new LeaderCallbacks(
            () -> LOG.info("leader-election Lease {}/{} acquired", settings.leaseNamespace(), settings.leaseName()),
            () -> {
              if (!closing.get()) {
                leaderElection.onLeadershipLost().run();
              }
            },
            leader -> { });
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace(),
            leaderElection.leaseDuration(), leaderElection.renewDeadline(), leaderElection.retryPeriod(),
            leaderElection.identity(), callbacks, false));
      }
    });
    operator.register(reconciler, o -> {
      if (settings.namespaces().isEmpty()) {
        o.watchingAllNamespaces();
      } else {
        o.settingNamespaces(settings.namespaces());
      }
      if (settings.labelSelector() != null) {
        o.withLabelSelector(settings.labelSelector());
      }
      o.withReconciliationMaxInterval(settings.resyncPeriod());
      // Status updates must not trigger a pass, but the pause, adopt and deregister annotations must.
      o.withGenerationAware(false);
      o.withOnUpdateFilter(OperatorRuntime::worthReconciling);
    });
    operator.start();
    HttpServer http = settings.metricsPort() > 0 ? serve(settings.metricsPort(), operator, registry) : null;
    LOG.info("operator started: namespaces={}, labelSelector={}, resync={}, cluster={}, tenancy={}",
        settings.namespaces().isEmpty() ? "all" : settings.namespaces(), settings.labelSelector(), settings.resyncPeriod(), settings.clusterName(),
        settings.tenancy());
    return new OperatorRuntime(operator, reconciler, aws, http, registry, closing, namespaces);
  }

  static boolean worthReconciling(SageMakerScalingPolicy updated, SageMakerScalingPolicy old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || Annotations.ALL.stream().anyMatch(name -> !Objects.equals(annotation(updated, name), annotation(old, name)))
        || (updated.getMetadata().getDeletionTimestamp() != null && old.getMetadata().getDeletionTimestamp() == null)
        || !Objects.equals(updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers());
  }

  private static String annotation(SageMakerScalingPolicy resource, String name) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  private static HttpServer serve(int port, Operator operator, PrometheusMeterRegistry registry) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape()));
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
    server.createContext("/readyz", exchange -> {
      boolean ready = operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
      respond(exchange, ready ? 200 : 503, ready ? "ready" : "not ready");
    });
    server.start();
    return server;
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  public AwsCallMetrics awsCalls() {
    return aws.metrics();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    // Stopping on purpose: the end of leadership that operator.stop() causes is not a lost Lease.
    closing.set(true);
    operator.stop();
    reconciler.close();
    if (http != null) {
      http.stop(0);
    }
    aws.close();
    if (namespaces != null) {
      namespaces.close();
    }
  }
}
