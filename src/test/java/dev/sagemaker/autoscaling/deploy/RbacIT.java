package dev.sagemaker.autoscaling.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.cli.OperatorRuntime;
import dev.sagemaker.autoscaling.cli.RunCommand;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants;
import dev.sagemaker.autoscaling.testing.Chart;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator runs with exactly the permissions the chart grants: its ServiceAccount's RBAC is
 * applied to the real API server and the operator's client impersonates that ServiceAccount.
 */
class RbacIT {
  private static final String CRD = "sagemakerscalingpolicies.autoscaling.sagemaker.dev";

  /**
   * The operator is started by each test, as the chart's ServiceAccount, for namespaces the test
   * makes.
   */
  @RegisterExtension final OperatorExtension fixture = OperatorExtension.withoutOperator();

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicBoolean leadershipLost = new AtomicBoolean();

  /**
   * Unique per test: resources other tests leave behind target other endpoints, so no Conflict
   * arises.
   */
  private String endpoint;

  /** A chart release applied to the API server: its RBAC objects and the identity of its pod. */
  private record Release(
      String namespace,
      String serviceAccount,
      RunCommand.OperatorSettings settings,
      List<HasMetadata> objects) {}

  @BeforeEach
  void start() {
    endpoint = "rbac-" + id();
    fixture.moto().createEndpoint(endpoint, "prod", "ml.c5.2xlarge", 1);
  }

  @AfterEach
  void stop() throws Exception {
    // Runtimes were added before their clients: close in reverse order.
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    assertThat(leadershipLost).as("the Lease was lost while the operator ran").isFalse();
  }

  private static String id() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** Renders the chart into a fresh release namespace and applies its ServiceAccount and RBAC. */
  private Release install(String release, String namespace, String... values) {
    KubernetesClient admin = TestEnvironment.client();
    List<String> args = new ArrayList<>(List.of("--set", "aws.region=" + Moto.REGION));
    args.addAll(List.of(values));
    List<HasMetadata> rendered =
        Chart.parse(admin, Chart.template(release, namespace, args.toArray(String[]::new)));
    List<HasMetadata> rbac =
        Chart.ofKind(
            rendered, "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
    Chart.createNamespace(admin, namespace);
    Chart.createNamespaces(admin, rbac);
    Chart.apply(admin, rbac);
    Deployment deployment = Chart.single(rendered, Deployment.class);
    String serviceAccount = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    return new Release(
        namespace, serviceAccount, Chart.operatorSettings(Chart.env(deployment)), rbac);
  }

  /** The operator as the chart's Deployment configures it, acting as the chart's ServiceAccount. */
  private KubernetesClient startOperator(Release release) throws Exception {
    KubernetesClient identity = Chart.impersonating(release.namespace(), release.serviceAccount());
    toClose.add(identity);
    OperatorRuntime runtime =
        OperatorRuntime.start(
            release.settings(),
            identity,
            Chart.motoAws(),
            OperatorRuntime.LeaderElection.defaults()
                .withIdentity("pod-" + release.namespace())
                .whenLeadershipLost(() -> leadershipLost.set(true)));
    toClose.add(runtime);
    return identity;
  }

  /** The README's example resource, for this test's endpoint. */
  private SageMakerScalingPolicy applySeed(String namespace) {
    SageMakerScalingPolicy seed = fixture.seedManifest("recommender", endpoint);
    seed.getMetadata().setNamespace(namespace);
    return fixture.create(seed);
  }

  /**
   * The leader keeps its Lease: renewals (every retry period, 2 s) go through with the chart's
   * permissions. A refused renewal shows only here, after the renew deadline, when the leader stops
   * leading and exits.
   */
  private static void awaitLeaseRenewed(Release release, String holder) {
    KubernetesClient admin = TestEnvironment.client();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Lease lease =
                  admin
                      .leases()
                      .inNamespace(release.settings().leaseNamespace())
                      .withName(release.settings().leaseName())
                      .get();
              assertThat(lease)
                  .as(
                      "Lease %s/%s",
                      release.settings().leaseNamespace(), release.settings().leaseName())
                  .isNotNull();
              assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(holder);
              assertThat(
                      Duration.between(
                          lease.getSpec().getAcquireTime().toInstant(),
                          lease.getSpec().getRenewTime().toInstant()))
                  .as("renewTime - acquireTime")
                  .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
            });
  }

  private static void assertForbidden(String what, ThrowingCallable call) {
    assertThatThrownBy(call)
        .as(what)
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> assertThat(e.getCode()).as(what + ": " + e.getMessage()).isEqualTo(403));
  }

  private static Event event(String namespace, SageMakerScalingPolicy about) {
    String now = Instant.now().toString();
    return new EventBuilder()
        .withNewMetadata()
        .withName("rbac-check." + id())
        .withNamespace(namespace)
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(about.getApiVersion())
        .withKind(about.getKind())
        .withName(about.getMetadata().getName())
        .withNamespace(namespace)
        .withUid(about.getMetadata().getUid())
        .endInvolvedObject()
        .withType("Normal")
        .withReason("RbacCheck")
        .withMessage("the operator may record events")
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
  }

  @Test
  void clusterScopedRbacIsEnoughToConvergeAndNothingMore() throws Exception {
    String id = id();
    Release release = install("rbac-" + id, "rbac-" + id + "-system");
    assertThat(Chart.kinds(release.objects())).contains("ClusterRole", "ClusterRoleBinding");
    assertThat(release.settings().namespaces())
        .as("default values watch every namespace")
        .isEmpty();
    assertThat(release.settings().leaseName()).as("leader election is on by default").isNotNull();
    assertThat(release.settings().leaseNamespace()).isEqualTo(release.namespace());
    String watched = fixture.namespace();

    KubernetesClient identity = startOperator(release);
    SelfSubjectReview self = identity.resource(new SelfSubjectReview()).create();
    assertThat(self.getStatus().getUserInfo().getUsername())
        .as("the operator's client acts as the chart's ServiceAccount")
        .isEqualTo(Chart.serviceAccountUser(release.namespace(), release.serviceAccount()));

    SageMakerScalingPolicy created = applySeed(watched);
    SageMakerScalingPolicy ready = fixture.awaitReady("recommender");
    assertThat(fixture.moto().targets())
        .singleElement()
        .satisfies(
            t -> assertThat(t.resourceId()).isEqualTo("endpoint/" + endpoint + "/variant/prod"));
    assertThat(fixture.moto().policies()).hasSize(5);
    assertThat(ready.getMetadata().getFinalizers())
        .as("the finalizer the operator added")
        .isNotEmpty();
    // EventRecorder only logs a refused Event, so look for the operator's Events themselves.
    assertThat(TestEnvironment.client().v1().events().inNamespace(watched).list().getItems())
        .as("Events the operator recorded as its ServiceAccount")
        .anySatisfy(
            e ->
                assertThat(e.getInvolvedObject().getUid())
                    .isEqualTo(created.getMetadata().getUid()));
    awaitLeaseRenewed(release, "pod-" + release.namespace());

    // What the operator must not be able to do.
    assertForbidden(
        "list Secrets in the watched namespace",
        () -> identity.secrets().inNamespace(watched).list());
    assertForbidden(
        "list Secrets in its own namespace",
        () -> identity.secrets().inNamespace(release.namespace()).list());
    assertForbidden("list Secrets cluster-wide", () -> identity.secrets().inAnyNamespace().list());
    assertForbidden(
        "create a ConfigMap",
        () ->
            identity
                .configMaps()
                .inNamespace(release.namespace())
                .resource(
                    new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("rbac-check")
                        .endMetadata()
                        .addToData("a", "b")
                        .build())
                .create());
    // Dry run: were the permission ever granted, the CRD every other test needs would survive.
    assertForbidden(
        "delete the CRD",
        () ->
            identity
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(CRD)
                .dryRun()
                .delete());
    assertForbidden(
        "create a Lease outside the Lease namespace",
        () ->
            identity
                .leases()
                .inNamespace(watched)
                .resource(new LeaseBuilder().withNewMetadata().withName("x").endMetadata().build())
                .create());

    // What it must be able to do besides reconciling.
    Event recorded =
        identity.v1().events().inNamespace(watched).resource(event(watched, created)).create();
    assertThat(recorded.getMetadata().getUid()).isNotBlank();

    // Deletion runs the cleanup and removes the finalizer with the same permissions.
    TestEnvironment.client().resource(ready).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      TestEnvironment.client()
                          .resources(SageMakerScalingPolicy.class)
                          .inNamespace(watched)
                          .withName("recommender")
                          .get())
                  .isNull();
              assertThat(fixture.moto().targets()).isEmpty();
            });
  }

  @Test
  void namespacedRbacReachesOnlyTheWatchedNamespace() throws Exception {
    String id = id();
    String watched = fixture.namespace();
    String other = fixture.createNamespace("other");
    Release release =
        install(
            "rbacns-" + id,
            "rbacns-" + id + "-system",
            "--set",
            "rbac.scope=namespaced",
            "--set",
            "watchNamespaces={" + watched + "}");
    // Namespaces are cluster-scoped: the one cluster-wide grant is reading them (grants,
    // kube-system UID).
    assertThat(release.objects())
        .filteredOn(o -> o instanceof ClusterRole)
        .singleElement()
        .satisfies(
            o ->
                assertThat(((ClusterRole) o).getRules())
                    .singleElement()
                    .satisfies(
                        rule -> {
                          assertThat(rule.getResources()).containsExactly("namespaces");
                          assertThat(rule.getVerbs())
                              .containsExactlyInAnyOrder("get", "list", "watch");
                        }));
    assertThat(release.settings().namespaces()).isEqualTo(Set.of(watched));
    SageMakerScalingPolicy elsewhere = applySeed(other);

    KubernetesClient identity = startOperator(release);
    applySeed(watched);
    fixture.awaitReady("recommender");
    assertThat(fixture.moto().targets()).hasSize(1);
    assertThat(TestEnvironment.client().resource(elsewhere).get().getStatus())
        .as("a resource outside WATCH_NAMESPACES is left alone")
        .isNull();

    assertThat(
            identity.resources(SageMakerScalingPolicy.class).inNamespace(watched).list().getItems())
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("recommender");
    assertForbidden(
        "list SageMakerScalingPolicies in another namespace",
        () -> identity.resources(SageMakerScalingPolicy.class).inNamespace(other).list());
    assertForbidden(
        "list SageMakerScalingPolicies in all namespaces",
        () -> identity.resources(SageMakerScalingPolicy.class).inAnyNamespace().list());
    assertForbidden(
        "create an Event in another namespace",
        () -> identity.v1().events().inNamespace(other).resource(event(other, elsewhere)).create());
    assertForbidden(
        "list Secrets in the watched namespace",
        () -> identity.secrets().inNamespace(watched).list());
    assertForbidden(
        "grant itself targets in a namespace",
        () ->
            identity
                .namespaces()
                .withName(watched)
                .edit(
                    ns -> {
                      ns.getMetadata()
                          .getAnnotations()
                          .put(NamespaceGrants.ALLOWED_TARGETS, "*,other");
                      return ns;
                    }));
    awaitLeaseRenewed(release, "pod-" + release.namespace());
  }
}
