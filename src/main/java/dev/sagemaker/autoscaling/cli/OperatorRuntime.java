package dev.sagemaker.autoscaling.cli;

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
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started operator with its health and metrics endpoint; tests and benchmarks start it the same
 * way.
 */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);

  private final Operator operator;
  private final SageMakerScalingPolicyReconciler reconciler;
  private final AwsClientFactory aws;
  private final ProbeServer http;
  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean closing;
  private final KubernetesClient client;
  private final LeaseRelease lease;
  private final NamespaceCache namespaces;

  private OperatorRuntime(
      Operator operator,
      SageMakerScalingPolicyReconciler reconciler,
      AwsClientFactory aws,
      ProbeServer http,
      PrometheusMeterRegistry registry,
      AtomicBoolean closing,
      KubernetesClient client,
      LeaseRelease lease,
      NamespaceCache namespaces) {
    this.namespaces = namespaces;
    this.operator = operator;
    this.reconciler = reconciler;
    this.aws = aws;
    this.http = http;
    this.registry = registry;
    this.closing = closing;
    this.client = client;
    this.lease = lease;
  }

  /**
   * How this instance takes part in leader election (used only when {@code settings.leaseName()} is
   * set).
   *
   * @param identity the holder identity in the Lease; null means HOSTNAME (the pod name) or a
   *     random id, as in JOSDK
   * @param onLeadershipLost runs when the Lease is lost while the operator is running (not when it
   *     is closed)
   */
  public record LeaderElection(
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      String identity,
      Runnable onLeadershipLost) {
    /**
     * JOSDK's durations (lease 15 s, renew deadline 10 s, retry 2 s); losing the Lease exits the
     * process.
     */
    public static LeaderElection defaults() {
      return new LeaderElection(
          LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
          LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
          LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
          null,
          OperatorRuntime::exitOnLostLeadership);
    }

    public LeaderElection withIdentity(String identity) {
      return new LeaderElection(
          leaseDuration, renewDeadline, retryPeriod, identity, onLeadershipLost);
    }

    public LeaderElection whenLeadershipLost(Runnable action) {
      return new LeaderElection(leaseDuration, renewDeadline, retryPeriod, identity, action);
    }
  }

  private static void exitOnLostLeadership() {
    // Another replica may already reconcile: stop at once, as JOSDK does by default; the pod
    // restarts as a standby.
    LOG.error("lost the leader-election Lease while running; exiting");
    System.exit(1);
  }

  public static OperatorRuntime start(
      RunCommand.OperatorSettings settings,
      KubernetesClient client,
      AwsClientFactory.Settings awsSettings)
      throws IOException {
    return start(settings, client, awsSettings, LeaderElection.defaults());
  }

  /**
   * Starts the operator with a Kubernetes client of its own, configured as {@code given} (which
   * stays the caller's and is not used afterwards), that reads our resources leniently: see {@link
   * UnreadableResources}.
   */
  public static OperatorRuntime start(
      RunCommand.OperatorSettings settings,
      KubernetesClient given,
      AwsClientFactory.Settings awsSettings,
      LeaderElection leaderElection)
      throws IOException {
    AtomicBoolean closing = new AtomicBoolean();
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT,
            new NamedCollectors(),
            io.micrometer.core.instrument.Clock.SYSTEM);
    UnreadableResources unreadable = new UnreadableResources(registry);
    KubernetesClient client = readingLeniently(given, unreadable);
    String identity =
        leaderElection.identity() != null
            ? leaderElection.identity()
            : LeaseRelease.defaultIdentity();
    AwsClientFactory aws = new AwsClientFactory(awsSettings, new AwsCallMetrics(registry));
    aws.defaultRegion().ifPresent(region -> buildClientsMeanwhile(aws, region));
    Clock clock = Clock.systemUTC();
    NamespaceCache namespaces =
        settings.tenancy() == TenancyMode.OPEN ? null : NamespaceCache.start(client);
    SageMakerScalingPolicyReconciler reconciler =
        new SageMakerScalingPolicyReconciler(
            aws,
            new StatusBuilder(clock, settings.scalingWarnings()),
            new EventRecorder(client, clock),
            ReconcilerSettings.defaults(settings.clusterName(), settings.resyncPeriod())
                .withReconcileThreads(settings.concurrency()),
            new ReconcileMetrics(registry),
            clock,
            namespaces == null
                ? TenancyGate.open()
                : new TenancyGate(settings.tenancy(), namespaces));
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(settings.concurrency())
                  .checkingCRDAndValidateLocalModel(false);
              if (settings.leaseName() != null) {
                // JOSDK 5.2.3 calls System.exit(1) whenever leadership ends, also when
                // Operator.stop() cancels the
                // election: that killed a test JVM and, from RunCommand's shutdown hook, blocks the
                // JVM (exit inside
                // a shutdown hook waits forever) until the kubelet's SIGKILL. So JOSDK is told not
                // to exit, and the
                // callback below exits only when the Lease is lost while the operator is not being
                // closed.
                LeaderCallbacks callbacks =
                    new LeaderCallbacks(
                        () ->
                            LOG.info(
                                "leader-election Lease {}/{} acquired",
                                settings.leaseNamespace(),
                                settings.leaseName()),
                        () -> {
                          if (!closing.get()) {
                            leaderElection.onLeadershipLost().run();
                          }
                        },
                        leader -> {});
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        settings.leaseName(),
                        settings.leaseNamespace(),
                        leaderElection.leaseDuration(),
                        leaderElection.renewDeadline(),
                        leaderElection.retryPeriod(),
                        identity,
                        callbacks,
                        false));
              }
            });
    RegisteredController<SageMakerScalingPolicy> registered =
        operator.register(
            reconciler,
            o -> {
              if (settings.namespaces().isEmpty()) {
                o.watchingAllNamespaces();
              } else {
                o.settingNamespaces(settings.namespaces());
              }
              if (settings.labelSelector() != null) {
                o.withLabelSelector(settings.labelSelector());
              }
              o.withReconciliationMaxInterval(settings.resyncPeriod());
              // Status updates must not trigger a pass, but the pause, adopt and deregister
              // annotations must.
              o.withGenerationAware(false);
              o.withOnUpdateFilter(OperatorRuntime::worthReconciling);
              o.withGenericFilter(unreadable::isReadable);
            });
    unreadable.connect(new EventRecorder(client, clock), stillCached(registered));
    if (namespaces != null) {
      passesOnGrantChanges(registered, namespaces);
    }
    operator.start();
    ProbeServer http =
        settings.metricsPort() > 0
            ? ProbeServer.serve(settings.metricsPort(), operator, registry)
            : null;
    LOG.info(
        "operator started: namespaces={}, labelSelector={}, resync={}, cluster={}, tenancy={}",
        settings.namespaces().isEmpty() ? "all" : settings.namespaces(),
        settings.labelSelector(),
        settings.resyncPeriod(),
        settings.clusterName(),
        settings.tenancy());
    LeaseRelease lease =
        settings.leaseName() == null
            ? null
            : new LeaseRelease(client, settings.leaseNamespace(), settings.leaseName(), identity);
    return new OperatorRuntime(
        operator, reconciler, aws, http, registry, closing, client, lease, namespaces);
  }

  /**
   * Builds the AWS clients of the default region on a thread of their own while the informers
   * start, instead of in the first pass: they load about 1,500 SDK classes (a second of CPU), and
   * the first AWS call of a cold start waited for them. Nothing is called: the clients are only
   * built and kept, as the first pass would build and keep them.
   */
  private static void buildClientsMeanwhile(AwsClientFactory aws, String region) {
    Thread thread =
        new Thread(
            () -> {
              try {
                aws.forTarget(region, null);
              } catch (RuntimeException e) {
                // The first pass builds them again and reports what fails.
                LOG.debug("building the AWS clients of {} early failed: {}", region, e.toString());
              }
            },
            "aws-clients-early");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * A client of its own for the operator, like the given one but reading our resources leniently
   * (see {@link UnreadableResources}); the given client stays the caller's.
   */
  private static KubernetesClient readingLeniently(
      KubernetesClient given, UnreadableResources unreadable) {
    return new KubernetesClientBuilder()
        .withConfig(given.getConfiguration())
        .withKubernetesSerialization(unreadable.serialization())
        .build();
  }

  /** A change of a namespace's grants gives each of its resources a pass at once. */
  private static void passesOnGrantChanges(
      RegisteredController<SageMakerScalingPolicy> registered, NamespaceCache namespaces) {
    if (!(registered instanceof Controller<SageMakerScalingPolicy> controller)) {
      return;
    }
    GrantChanges source = new GrantChanges();
    controller.getEventSourceManager().registerEventSource(source);
    namespaces.onGrantsChanged(
        namespace ->
            source.changed(
                controller
                    .getEventSourceManager()
                    .getControllerEventSource()
                    .list(namespace, r -> true)
                    .map(ResourceID::fromResource)));
  }

  /** Whether an unreadable resource is still what the controller's cache holds under its name. */
  private static Predicate<UnreadableResources.Problem> stillCached(
      RegisteredController<SageMakerScalingPolicy> registered) {
    if (!(registered instanceof Controller<SageMakerScalingPolicy> controller)) {
      return problem -> true;
    }
    return problem ->
        controller
            .getEventSourceManager()
            .getControllerEventSource()
            .get(new ResourceID(problem.name(), problem.namespace()))
            .map(
                cached ->
                    cached.getSpec() == null
                        && Objects.equals(
                            cached.getMetadata().getResourceVersion(), problem.resourceVersion()))
            .orElse(false);
  }

  static boolean worthReconciling(SageMakerScalingPolicy updated, SageMakerScalingPolicy old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || Annotations.ALL.stream()
            .anyMatch(name -> !Objects.equals(annotation(updated, name), annotation(old, name)))
        || (updated.getMetadata().getDeletionTimestamp() != null
            && old.getMetadata().getDeletionTimestamp() == null)
        || !Objects.equals(
            updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers());
  }

  private static String annotation(SageMakerScalingPolicy resource, String name) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
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
    if (lease != null) {
      // JOSDK cancels the election without releasing the Lease; released, a standby takes over at
      // its next
      // retry (2 to 4.4 s) instead of after the lease duration (15 s).
      lease.release();
    }
    reconciler.close();
    if (http != null) {
      http.close();
    }
    aws.close();
    if (namespaces != null) {
      namespaces.close();
    }
    client.close();
  }
}
