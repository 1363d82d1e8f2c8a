package dev.sagemaker.autoscaling.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagemaker.autoscaling.testing.Chart;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart and {@code deploy/operator.yaml}: lint, render, and apply to a real API server, as
 * {@code helm install} and {@code kubectl apply --server-side} would.
 */
@ExtendWith(TestEnvironment.class)
class HelmChartIT {
  private static final String CRD_KIND = "CustomResourceDefinition";
  private static final Path SERVICE_MONITOR_CRD =
      Path.of("src/test/resources/crds/servicemonitor-stub.yaml");

  /**
   * The two value sets CI lints: chart defaults plus the required region, and every non-default
   * path.
   */
  static Stream<Arguments> valueSets() {
    return Stream.of(
        Arguments.of("defaults", List.of("--set", "aws.region=eu-west-1")),
        Arguments.of("non-default values", List.of("-f", Chart.NON_DEFAULT_VALUES.toString())));
  }

  @BeforeAll
  static void installServiceMonitorCrd() {
    KubernetesClient client = TestEnvironment.client();
    CustomResourceDefinition crd =
        client
            .getKubernetesSerialization()
            .unmarshal(Chart.read(SERVICE_MONITOR_CRD), CustomResourceDefinition.class);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            d ->
                d != null
                    && d.getStatus() != null
                    && d.getStatus().getConditions() != null
                    && d.getStatus().getConditions().stream()
                        .anyMatch(
                            c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
            60,
            TimeUnit.SECONDS);
  }

  private static String freshNamespace(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void lintsStrictly(String name, List<String> values) {
    List<String> command = new ArrayList<>(List.of("lint", "--strict", Chart.DIR.toString()));
    command.addAll(values);
    String output = Chart.helmOk(command.toArray(String[]::new));
    assertThat(output).contains("0 chart(s) failed");
  }

  @Test
  void lintsCleanOnItsOwnDefaultsAndLeavesTheRegionToThePodEnvironment() {
    // chart-testing lints the defaults; without aws.region the SDK resolves AWS_REGION from the pod
    // (EKS sets it).
    Chart.Result lint =
        Chart.run(Map.of(), Chart.helm().toString(), "lint", "--strict", Chart.DIR.toString());
    assertThat(lint.exitCode()).as(lint.output()).isZero();

    Chart.Result template =
        Chart.run(Map.of(), Chart.helm().toString(), "template", "x", Chart.DIR.toString());
    assertThat(template.exitCode()).as(template.output()).isZero();
    assertThat(template.output()).doesNotContain("AWS_REGION");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void renderedManifestsApplyToARealApiServer(String name, List<String> values) {
    KubernetesClient client = TestEnvironment.client();
    String namespace = freshNamespace("chart");
    String release = freshNamespace("rel");
    List<HasMetadata> rendered =
        Chart.parse(client, Chart.template(release, namespace, values.toArray(String[]::new)));
    List<HasMetadata> objects =
        rendered.stream().filter(o -> !CRD_KIND.equals(o.getKind())).toList();

    // Every template that the value set enables renders, and the ServiceMonitor is covered by the
    // stub CRD.
    List<String> expectedKinds =
        name.equals("defaults")
            ? List.of(
                "ServiceAccount",
                "ClusterRole",
                "ClusterRoleBinding",
                "Role",
                "RoleBinding",
                "Service",
                "Deployment",
                "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding")
            : List.of(
                "PodDisruptionBudget",
                "ServiceAccount",
                "ClusterRole",
                "ClusterRoleBinding",
                "Role",
                "RoleBinding",
                "Service",
                "Deployment",
                "ServiceMonitor",
                "NetworkPolicy",
                "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding");
    assertThat(Chart.kinds(objects).distinct()).containsExactlyInAnyOrderElementsOf(expectedKinds);
    assertThat(objects)
        .allSatisfy(o -> assertThat(o.getApiVersion()).as(Chart.describe(o)).isNotBlank());

    Chart.createNamespace(client, namespace);
    objects = withoutAdmissionBinding(objects);
    Chart.createNamespaces(client, objects);
    List<HasMetadata> applied = Chart.apply(client, objects);

    assertThat(applied)
        .hasSameSizeAs(objects)
        .allSatisfy(o -> assertThat(o.getMetadata().getUid()).as(Chart.describe(o)).isNotBlank());
    for (HasMetadata object : objects) {
      assertThat(client.resource(object).get())
          .as("%s is stored", Chart.describe(object))
          .isNotNull();
    }
  }

  @Test
  void operatorYamlIsWhatRenderShRendersNow() {
    Chart.Result check =
        Chart.run(Map.of("HELM", Chart.helm().toString()), "bash", "deploy/render.sh", "--check");
    assertThat(check.exitCode()).as("deploy/render.sh --check:%n%s", check.output()).isZero();
    assertThat(check.output()).contains("is up to date");
  }

  @Test
  void operatorYamlAppliesToARealApiServer() {
    KubernetesClient client = TestEnvironment.client();
    List<HasMetadata> objects = Chart.parse(client, Chart.read(Path.of("deploy/operator.yaml")));
    assertThat(Chart.kinds(objects))
        .contains("Namespace", CRD_KIND, "Deployment", "ClusterRole", "ClusterRoleBinding");
    // The file creates its own namespace first; the CRD is the one TestEnvironment applied from
    // crds/.
    List<HasMetadata> applied =
        Chart.apply(
            client,
            withoutAdmissionBinding(
                objects.stream().filter(o -> !CRD_KIND.equals(o.getKind())).toList()));
    assertThat(applied)
        .allSatisfy(o -> assertThat(o.getMetadata().getUid()).as(Chart.describe(o)).isNotBlank());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void deploymentRunsUnderTheRestrictedSecurityContext(String name, List<String> values) {
    Deployment deployment = renderDeployment(values);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("pod runAsNonRoot").isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType())
        .as("pod seccompProfile")
        .isEqualTo("RuntimeDefault");

    assertThat(pod.getContainers()).hasSize(1);
    Container container = pod.getContainers().get(0);
    var security = container.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).as("container runAsNonRoot").isTrue();
    assertThat(security.getRunAsUser()).as("container runAsUser").isPositive();
    assertThat(security.getReadOnlyRootFilesystem())
        .as("container readOnlyRootFilesystem")
        .isTrue();
    assertThat(security.getAllowPrivilegeEscalation())
        .as("container allowPrivilegeEscalation")
        .isFalse();
    assertThat(security.getPrivileged()).as("container privileged").isNotEqualTo(Boolean.TRUE);
    assertThat(security.getCapabilities().getDrop()).as("capabilities.drop").containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).as("capabilities.add").isNullOrEmpty();
    assertThat(security.getSeccompProfile().getType())
        .as("container seccompProfile")
        .isEqualTo("RuntimeDefault");
    // With a read-only root filesystem the JVM still needs a writable /tmp.
    assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/tmp");
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void operatorPodIsAdmittedUnderTheRestrictedPodSecurityStandard() {
    KubernetesClient client = TestEnvironment.client();
    String namespace = freshNamespace("restricted");
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
                .endMetadata()
                .build())
        .create();
    Deployment deployment = renderDeployment(List.of("--set", "aws.region=eu-west-1"));

    // The API server's PodSecurity admission judges a pod built from the chart's template, as the
    // ReplicaSet controller would create it (no controller-manager runs here; the pod stays
    // Pending).
    Pod pod =
        client
            .pods()
            .inNamespace(namespace)
            .resource(podFrom(deployment, namespace, "operator"))
            .create();
    assertThat(pod.getMetadata().getUid()).isNotBlank();

    // Control: the same pod with its capabilities no longer dropped is refused, so admission is
    // active.
    Pod weakened = podFrom(deployment, namespace, "weakened");
    weakened
        .getSpec()
        .getContainers()
        .get(0)
        .getSecurityContext()
        .getCapabilities()
        .setDrop(List.of());
    assertThatThrownBy(() -> client.pods().inNamespace(namespace).resource(weakened).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage()).contains("restricted");
            });
  }

  @Test
  void theLeaseRoleNamesItsLease() {
    KubernetesClient client = TestEnvironment.client();
    String namespace = freshNamespace("lease");
    String release = freshNamespace("rel");
    List<HasMetadata> objects =
        Chart.parse(client, Chart.template(release, namespace, "--set", "aws.region=eu-west-1"))
            .stream()
            .filter(o -> !CRD_KIND.equals(o.getKind()))
            .toList();
    Deployment deployment = Chart.single(objects, Deployment.class);
    String leaseName = Chart.env(deployment).get("LEADER_ELECTION_LEASE_NAME");
    String serviceAccount = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    Chart.createNamespace(client, namespace);
    Chart.apply(
        client,
        objects.stream()
            .filter(o -> List.of("ServiceAccount", "Role", "RoleBinding").contains(o.getKind()))
            .toList());

    try (KubernetesClient operator = Chart.impersonating(namespace, serviceAccount)) {
      Lease lease =
          new LeaseBuilder()
              .withNewMetadata()
              .withName(leaseName)
              .endMetadata()
              .withNewSpec()
              .withHolderIdentity("pod-a")
              .endSpec()
              .build();
      // The first replica creates it (create cannot be limited by name), then renews, takes over
      // and releases it.
      Lease created = operator.leases().inNamespace(namespace).resource(lease).create();
      created.getSpec().setHolderIdentity("pod-b");
      assertThat(
              operator
                  .leases()
                  .inNamespace(namespace)
                  .resource(created)
                  .update()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("pod-b");
      assertThat(operator.leases().inNamespace(namespace).withName(leaseName).get()).isNotNull();

      // Another Lease in the same namespace (another controller's) it may create but not read or
      // take.
      Lease other =
          client
              .leases()
              .inNamespace(namespace)
              .resource(
                  new LeaseBuilder()
                      .withNewMetadata()
                      .withName("other-controller")
                      .endMetadata()
                      .withNewSpec()
                      .withHolderIdentity("someone")
                      .endSpec()
                      .build())
              .create();
      assertThatThrownBy(
              () -> operator.leases().inNamespace(namespace).withName("other-controller").get())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      other.getSpec().setHolderIdentity("pod-a");
      assertThatThrownBy(() -> operator.leases().inNamespace(namespace).resource(other).update())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Test
  void theNetworkPolicyAllowsOnlyMetricsInAndDnsApiServerAndAwsOut() {
    KubernetesClient client = TestEnvironment.client();
    List<HasMetadata> objects =
        Chart.parse(
            client,
            Chart.template(
                "sagemaker-autoscaling-operator",
                "sagemaker-autoscaling-system",
                "--set",
                "aws.region=eu-west-1",
                "--set",
                "networkPolicy.enabled=true",
                "--set",
                "networkPolicy.apiServer.cidrs={172.20.0.0/16}"));
    NetworkPolicy policy = Chart.single(objects, NetworkPolicy.class);
    Deployment deployment = Chart.single(objects, Deployment.class);

    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(
            in -> {
              assertThat(in.getPorts())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
              assertThat(in.getFrom())
                  .singleElement()
                  .satisfies(
                      peer ->
                          assertThat(peer.getNamespaceSelector().getMatchLabels())
                              .containsEntry("kubernetes.io/metadata.name", "monitoring"));
            });
    assertThat(policy.getSpec().getEgress()).hasSize(3);
    assertThat(policy.getSpec().getEgress().get(0).getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactlyInAnyOrder("UDP/53", "TCP/53");
    assertThat(policy.getSpec().getEgress().get(1).getTo())
        .extracting(peer -> peer.getIpBlock().getCidr())
        .containsExactly("172.20.0.0/16");
    assertThat(policy.getSpec().getEgress().get(1).getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactly(443, 6443);
    assertThat(policy.getSpec().getEgress().get(2).getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactly(443);

    // Off by default.
    assertThat(
            Chart.kinds(
                Chart.parse(client, Chart.template("x", "y", "--set", "aws.region=eu-west-1"))))
        .doesNotContain("NetworkPolicy");
  }

  /**
   * The namespace-grants binding would hold for every namespace of the API server the whole suite
   * shares, and refuse the other tests' resources; TenancyAdmissionIT applies it, bound to its own
   * namespaces. The policy without a binding does nothing, so it is still applied here.
   */
  private static List<HasMetadata> withoutAdmissionBinding(List<HasMetadata> objects) {
    return objects.stream()
        .filter(o -> !"ValidatingAdmissionPolicyBinding".equals(o.getKind()))
        .toList();
  }

  private static Deployment renderDeployment(List<String> values) {
    KubernetesClient client = TestEnvironment.client();
    String rendered =
        Chart.template(
            "sagemaker-autoscaling-operator",
            "sagemaker-autoscaling-system",
            values.toArray(String[]::new));
    return Chart.single(Chart.parse(client, rendered), Deployment.class);
  }

  private static Pod podFrom(Deployment deployment, String namespace, String name) {
    var template = deployment.getSpec().getTemplate();
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(template.getMetadata().getLabels())
        .endMetadata()
        .withSpec(TestEnvironment.client().getKubernetesSerialization().clone(template.getSpec()))
        .build();
  }
}
