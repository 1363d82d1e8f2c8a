package dev.sagemaker.autoscaling.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.tenancy.NamespaceGrants;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants.TargetField;
import dev.sagemaker.autoscaling.tenancy.TenancyCases;
import dev.sagemaker.autoscaling.tenancy.TenancyCases.Case;
import dev.sagemaker.autoscaling.testing.Chart;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's ValidatingAdmissionPolicy on the real kube-apiserver refuses what a namespace does
 * not grant, with the message NamespaceGrants gives for the same case: the case table is shared
 * with NamespaceGrantsTest. The binding is rendered with watchNamespaces set to this test's
 * namespaces, so it never touches the other tests' resources on the shared API server.
 */
@ExtendWith(TestEnvironment.class)
class TenancyAdmissionIT {
  private static final String CHART_NAMESPACE = "smsp-tenancy-system";
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
  private static final List<Case> CASES = TenancyCases.all();

  /** One namespace per case, so each carries exactly the case's annotations. */
  private static final Map<Case, String> NAMESPACES = new LinkedHashMap<>();

  private static final String UPDATES_NAMESPACE = "tenancy-updates-" + SUFFIX;
  private static final String PROBE_NAMESPACE = "tenancy-probe-" + SUFFIX;
  private static List<HasMetadata> admission = List.of();

  @BeforeAll
  static void installPolicy() {
    KubernetesClient client = TestEnvironment.client();
    for (int i = 0; i < CASES.size(); i++) {
      NAMESPACES.put(CASES.get(i), "tenancy-" + i + "-" + SUFFIX);
    }
    List<String> watched = new ArrayList<>(NAMESPACES.values());
    watched.add(UPDATES_NAMESPACE);
    watched.add(PROBE_NAMESPACE);
    admission =
        Chart.ofKind(
            Chart.parse(
                client,
                Chart.template(
                    "tenancy-" + SUFFIX,
                    CHART_NAMESPACE,
                    "--set",
                    "aws.region=" + TenancyCases.OPERATOR_REGION,
                    "--set",
                    "watchNamespaces={" + String.join(",", watched) + "}")),
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding");
    assertThat(Chart.kinds(admission))
        .containsExactlyInAnyOrder("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");

    NAMESPACES.forEach((c, ns) -> createNamespace(client, ns, c.namespaceAnnotations()));
    createNamespace(client, UPDATES_NAMESPACE, Map.of(NamespaceGrants.ALLOWED_TARGETS, "team-a-*"));
    createNamespace(client, PROBE_NAMESPACE, Map.of());
    Chart.apply(client, admission);

    // The policy's status (type-checking warnings) is written by kube-controller-manager, which
    // kube-api-test does not run; the cases below exercise every expression instead.
    // The admission plugin picks policies and bindings up from an informer: wait until an
    // ungranted request in a bound namespace is refused before the cases run.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThatThrownBy(
                        () ->
                            dryRunCreate(
                                client,
                                resource(
                                    PROBE_NAMESPACE,
                                    "probe",
                                    TargetField.ENDPOINT,
                                    "x",
                                    null,
                                    null,
                                    false)))
                    .isInstanceOf(KubernetesClientException.class));
  }

  @AfterAll
  static void removePolicy() {
    KubernetesClient client = TestEnvironment.client();
    for (HasMetadata object : admission) {
      client.resource(object).delete();
    }
    List<String> namespaces = new ArrayList<>(NAMESPACES.values());
    namespaces.add(UPDATES_NAMESPACE);
    namespaces.add(PROBE_NAMESPACE);
    namespaces.forEach(ns -> client.namespaces().withName(ns).delete());
  }

  @Test
  void everyCaseIsDecidedAsNamespaceGrantsDecidesIt() {
    KubernetesClient client = TestEnvironment.client();
    List<String> disagreements = new ArrayList<>();
    for (Case c : CASES) {
      String namespace = NAMESPACES.get(c);
      GenericKubernetesResource resource =
          resource(
              namespace, "r", c.targetField(), c.targetName(), c.roleArn(), c.region(), c.adopt());
      Optional<String> expected = c.deniedMessage(namespace);
      try {
        dryRunCreate(client, resource);
        expected.ifPresent(m -> disagreements.add(c.name() + ": admitted, expected refusal: " + m));
      } catch (KubernetesClientException e) {
        if (expected.isEmpty()) {
          disagreements.add(c.name() + ": refused, expected admission: " + e.getMessage());
        } else if (e.getCode() != 403 || !e.getMessage().contains(expected.get())) {
          disagreements.add(
              c.name()
                  + ": refused with "
                  + e.getCode()
                  + " "
                  + e.getMessage()
                  + "\n    expected 403 naming: "
                  + expected.get());
        }
      }
    }
    assertThat(disagreements)
        .as("cases where the admission policy and NamespaceGrants disagree")
        .isEmpty();
  }

  @Test
  void anUpdateIsCheckedOnlyForTheFieldsItChanges() {
    KubernetesClient client = TestEnvironment.client();
    GenericKubernetesResource created =
        client
            .resource(
                resource(
                    UPDATES_NAMESPACE,
                    "granted",
                    TargetField.ENDPOINT,
                    "team-a-prod",
                    null,
                    null,
                    false))
            .create();
    assertThat(created.getMetadata().getUid()).isNotBlank();

    // The admin revokes every grant: the resource stays, and edits that keep its target (the
    // operator's finalizer removal among them) are still admitted; the reconciler reports the rest.
    client
        .namespaces()
        .withName(UPDATES_NAMESPACE)
        .edit(
            ns -> {
              ns.getMetadata().setAnnotations(new HashMap<>());
              return ns;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThatThrownBy(
                        () ->
                            dryRunCreate(
                                client,
                                resource(
                                    UPDATES_NAMESPACE,
                                    "probe",
                                    TargetField.ENDPOINT,
                                    "team-a-prod",
                                    null,
                                    null,
                                    false)))
                    .isInstanceOf(KubernetesClientException.class));
    GenericKubernetesResource edited =
        client
            .resource(created)
            .edit(
                r -> {
                  r.getMetadata().setFinalizers(List.of("autoscaling.sagemaker.dev/test"));
                  ((Map<String, Object>) r.getAdditionalProperties().get("spec"))
                      .put("maxCapacity", 4);
                  return r;
                });
    assertThat(edited.getMetadata().getFinalizers())
        .containsExactly("autoscaling.sagemaker.dev/test");

    // The target cannot change at all (the CRD makes it immutable); what an update can newly ask
    // for, such as adoption, is checked against the grants.
    assertThatThrownBy(
            () ->
                client
                    .resource(edited)
                    .edit(
                        r -> {
                          r.getMetadata()
                              .setAnnotations(new HashMap<>(Map.of(NamespaceGrants.ADOPT, "true")));
                          return r;
                        }))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e ->
                assertThat(e.getMessage())
                    .contains(
                        "metadata.annotations[\"autoscaling.sagemaker.dev/adopt\"] \"true\" is not"
                            + " allowed in namespace "
                            + UPDATES_NAMESPACE));

    client
        .resource(edited)
        .edit(
            r -> {
              r.getMetadata().setFinalizers(List.of());
              return r;
            });
    client.resource(edited).delete();
  }

  @Test
  void openModeAndADisabledPolicyRenderNoAdmissionObjects() {
    KubernetesClient client = TestEnvironment.client();
    for (String[] values :
        List.of(
            new String[] {"--set", "tenancy.mode=open"},
            new String[] {"--set", "tenancy.admissionPolicy.enabled=false"})) {
      List<String> args =
          new ArrayList<>(List.of("--set", "aws.region=" + TenancyCases.OPERATOR_REGION));
      args.addAll(List.of(values));
      List<HasMetadata> rendered =
          Chart.parse(client, Chart.template("t", CHART_NAMESPACE, args.toArray(String[]::new)));
      assertThat(
              Chart.ofKind(
                  rendered, "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"))
          .as(String.join(" ", values))
          .isEmpty();
    }
  }

  private static void createNamespace(
      KubernetesClient client, String name, Map<String, String> annotations) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withAnnotations(annotations)
                .endMetadata()
                .build())
        .create();
  }

  private static void dryRunCreate(KubernetesClient client, GenericKubernetesResource resource) {
    client.resource(resource).dryRun().create();
  }

  /** A valid resource: the schema admits it, so only the namespace-grants policy can refuse it. */
  private static GenericKubernetesResource resource(
      String namespace,
      String name,
      TargetField field,
      String target,
      String roleArn,
      String region,
      boolean adopt) {
    Map<String, Object> targetSpec = new LinkedHashMap<>();
    targetSpec.put(
        field == TargetField.ENDPOINT ? "endpointName" : "inferenceComponentName", target);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("modelType", "RealTime");
    spec.put("target", targetSpec);
    spec.put("minCapacity", 1);
    spec.put("maxCapacity", 2);
    Map<String, Object> aws = new LinkedHashMap<>();
    if (roleArn != null) {
      aws.put("roleArn", roleArn);
    }
    if (region != null) {
      aws.put("region", region);
    }
    if (!aws.isEmpty()) {
      spec.put("aws", aws);
    }
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion("autoscaling.sagemaker.dev/v1alpha1");
    resource.setKind("SageMakerScalingPolicy");
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withAnnotations(adopt ? Map.of(NamespaceGrants.ADOPT, "true") : Map.of())
            .build());
    resource.setAdditionalProperty("spec", spec);
    return resource;
  }
}
