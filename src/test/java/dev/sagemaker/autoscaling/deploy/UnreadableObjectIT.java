package dev.sagemaker.autoscaling.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.cli.OperatorRuntime;
import dev.sagemaker.autoscaling.cli.RunCommand;
import dev.sagemaker.autoscaling.testing.Chart;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorHarness;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A resource the operator cannot read (issue 12): {@code steps[].change: 3000000000} is a Java
 * {@code Integer} overflow. The CRD of the day may bound it, so the object is written past the
 * schema through a second, schemaless served version of the same CRD (conversion None: the API
 * server stores it as v1alpha1 without validating it as v1alpha1), as an older, looser CRD version
 * would have let it in.
 */
@ExtendWith(TestEnvironment.class)
class UnreadableObjectIT {
  private static final String CRD = "sagemakerscalingpolicies.autoscaling.sagemaker.dev";
  private static final String LOOSE_VERSION = "v1alpha0";
  private static final ResourceDefinitionContext LOOSE =
      new ResourceDefinitionContext.Builder()
          .withGroup(SageMakerScalingPolicy.GROUP)
          .withVersion(LOOSE_VERSION)
          .withPlural("sagemakerscalingpolicies")
          .withKind("SageMakerScalingPolicy")
          .withNamespaced(true)
          .build();

  private Moto moto;
  private String id;
  private String badNamespace;
  private String goodNamespace;
  private OperatorRuntime runtime;
  private int metricsPort;

  @BeforeAll
  static void addLooseVersion() {
    KubernetesClient client = TestEnvironment.client();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(CRD)
        .edit(
            crd -> {
              CustomResourceDefinitionVersion loose =
                  new CustomResourceDefinitionVersionBuilder()
                      .withName(LOOSE_VERSION)
                      .withServed(true)
                      .withStorage(false)
                      .withNewSchema()
                      .withNewOpenAPIV3Schema()
                      .withType("object")
                      .withXKubernetesPreserveUnknownFields(true)
                      .endOpenAPIV3Schema()
                      .endSchema()
                      .withNewSubresources()
                      .withNewStatus()
                      .endStatus()
                      .endSubresources()
                      .build();
              crd.getSpec().getVersions().removeIf(v -> v.getName().equals(LOOSE_VERSION));
              crd.getSpec().getVersions().add(loose);
              return crd;
            });
  }

  @AfterAll
  static void removeLooseVersion() {
    TestEnvironment.client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(CRD)
        .edit(
            crd -> {
              crd.getSpec().getVersions().removeIf(v -> v.getName().equals(LOOSE_VERSION));
              return crd;
            });
  }

  @BeforeEach
  void namespaces() {
    TestEnvironment.resetMoto();
    moto = new Moto(TestEnvironment.motoEndpoint());
    id = UUID.randomUUID().toString().substring(0, 8);
    badNamespace = "unreadable-" + id;
    goodNamespace = "readable-" + id;
    TestEnvironment.client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(badNamespace)
                .withAnnotations(OperatorHarness.GRANT_EVERYTHING)
                .endMetadata()
                .build())
        .create();
    TestEnvironment.client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(goodNamespace)
                .withAnnotations(OperatorHarness.GRANT_EVERYTHING)
                .endMetadata()
                .build())
        .create();
  }

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    // Objects the operator could not read keep a finalizer it added while they were readable.
    for (String namespace : List.of(badNamespace, goodNamespace)) {
      TestEnvironment.client()
          .genericKubernetesResources(LOOSE)
          .inNamespace(namespace)
          .list()
          .getItems()
          .forEach(
              r ->
                  TestEnvironment.client()
                      .genericKubernetesResources(LOOSE)
                      .inNamespace(namespace)
                      .withName(r.getMetadata().getName())
                      .patch(
                          PatchContext.of(PatchType.JSON_MERGE),
                          "{\"metadata\":{\"finalizers\":null}}"));
    }
    moto.close();
  }

  private void startOperator() throws IOException {
    startOperator(Duration.ofSeconds(30));
  }

  private void startOperator(Duration resync) throws IOException {
    metricsPort = freePort();
    runtime =
        OperatorRuntime.start(
            new RunCommand.OperatorSettings(
                Set.of(badNamespace, goodNamespace),
                null,
                resync,
                "test",
                metricsPort,
                null,
                null,
                4),
            TestEnvironment.client(),
            Chart.motoAws());
  }

  /**
   * The README's seed example in a namespace, for its own endpoint, with its first step's change
   * replaced.
   */
  private GenericKubernetesResource seed(String namespace, String name, String change)
      throws IOException {
    String endpoint = namespace + "-" + name;
    moto.createEndpoint(endpoint, "prod", "ml.c5.2xlarge", 1);
    String yaml =
        Files.readString(Path.of("examples/realtime-seed.yaml"))
            .replace("recommender-prod", endpoint)
            .replace("{upper: 30, change: -1}", "{upper: 30, change: " + change + "}");
    GenericKubernetesResource resource =
        TestEnvironment.client()
            .getKubernetesSerialization()
            .unmarshal(yaml, GenericKubernetesResource.class);
    resource.getMetadata().setNamespace(namespace);
    resource.getMetadata().setName(name);
    return resource;
  }

  /**
   * Written through the schemaless version: what v1alpha1's schema would refuse is stored anyway.
   */
  private void createLoose(String namespace, String name, String change) throws IOException {
    GenericKubernetesResource resource = seed(namespace, name, change);
    resource.setApiVersion(SageMakerScalingPolicy.GROUP + "/" + LOOSE_VERSION);
    // The new version is served a moment after the CRD update.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                TestEnvironment.client()
                        .genericKubernetesResources(LOOSE)
                        .inNamespace(namespace)
                        .resource(resource)
                        .create()
                    != null);
  }

  private void create(String namespace, String name) throws IOException {
    GenericKubernetesResource resource = seed(namespace, name, "-1");
    TestEnvironment.client()
        .genericKubernetesResources(LOOSE.getGroup() + "/v1alpha1", "SageMakerScalingPolicy")
        .inNamespace(namespace)
        .resource(resource)
        .create();
  }

  private static SageMakerScalingPolicy get(String namespace, String name) {
    return TestEnvironment.client()
        .resources(SageMakerScalingPolicy.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  private static boolean isReady(String namespace, String name) {
    SageMakerScalingPolicy r = get(namespace, name);
    return OperatorHarness.isTrue(r, "Ready")
        && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration());
  }

  private List<Event> unreadableEvents(String name) {
    return TestEnvironment.client()
        .v1()
        .events()
        .inNamespace(badNamespace)
        .list()
        .getItems()
        .stream()
        .filter(
            e -> name.equals(e.getInvolvedObject().getName()) && "Unreadable".equals(e.getReason()))
        .toList();
  }

  private String http(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  @Test
  void anUnreadableObjectPresentAtStartDoesNotStopTheOperator() throws Exception {
    createLoose(badNamespace, "overflow", "3000000000");
    create(goodNamespace, "fine");

    // Before the fix the initial list failed on "overflow": the operator never started (JOSDK gave
    // up
    // after the cache-sync attempt) and nothing in any namespace was reconciled.
    startOperator();

    await().atMost(Duration.ofSeconds(60)).until(() -> isReady(goodNamespace, "fine"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(unreadableEvents("overflow"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getMessage())
                              .contains("spec.stepScaling[0].steps[0].change")
                              .contains("3000000000");
                        }));
    assertThat(http("/readyz")).isEqualTo("200 ready");
    assertThat(http("/metrics")).contains("smsp_unreadable_resources 1.0");
    assertThat(moto.targets())
        .extracting(t -> t.resourceId())
        .containsExactly("endpoint/" + goodNamespace + "-fine/variant/prod");
  }

  @Test
  void anObjectThatBecomesUnreadableWhileRunningDoesNotStopTheOperatorAndRecoversWhenCorrected()
      throws Exception {
    create(badNamespace, "turns-bad");
    startOperator();
    await().atMost(Duration.ofSeconds(60)).until(() -> isReady(badNamespace, "turns-bad"));

    // Before the fix this watch event stopped the informer and JOSDK's default handler exited the
    // JVM.
    TestEnvironment.client()
        .genericKubernetesResources(LOOSE)
        .inNamespace(badNamespace)
        .withName("turns-bad")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/stepScaling/0/steps/0/change\",\"value\":3000000000}]");
    await().atMost(Duration.ofSeconds(30)).until(() -> !unreadableEvents("turns-bad").isEmpty());

    create(goodNamespace, "created-later");
    await().atMost(Duration.ofSeconds(60)).until(() -> isReady(goodNamespace, "created-later"));
    assertThat(http("/readyz")).isEqualTo("200 ready");
    assertThat(http("/metrics")).contains("smsp_unreadable_resources 1.0");

    // Corrected, it is reconciled again: the new spec (change -2) reaches AWS.
    TestEnvironment.client()
        .genericKubernetesResources(LOOSE)
        .inNamespace(badNamespace)
        .withName("turns-bad")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/stepScaling/0/steps/0/change\",\"value\":-2}]");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(isReady(badNamespace, "turns-bad")).isTrue();
              assertThat(moto.policies())
                  .filteredOn(p -> p.policyName().endsWith("turns-bad_cpu-steps_lower"))
                  .singleElement()
                  .satisfies(
                      p ->
                          assertThat(
                                  p.stepScalingPolicyConfiguration()
                                      .stepAdjustments()
                                      .get(0)
                                      .scalingAdjustment())
                              .isEqualTo(-2));
            });
    assertThat(http("/metrics")).contains("smsp_unreadable_resources 0.0");
  }

  @Test
  void anUnreadableObjectIsDeletedWithItsAwsObjectsOnlyOnceItCanBeReadAgain() throws Exception {
    create(badNamespace, "deleted-while-bad");
    startOperator(Duration.ofSeconds(3));
    await().atMost(Duration.ofSeconds(60)).until(() -> isReady(badNamespace, "deleted-while-bad"));
    String resourceId = "endpoint/" + badNamespace + "-deleted-while-bad/variant/prod";
    TestEnvironment.client()
        .genericKubernetesResources(LOOSE)
        .inNamespace(badNamespace)
        .withName("deleted-while-bad")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/stepScaling/0/steps/0/change\",\"value\":3000000000}]");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !unreadableEvents("deleted-while-bad").isEmpty());

    TestEnvironment.client()
        .genericKubernetesResources(LOOSE)
        .inNamespace(badNamespace)
        .withName("deleted-while-bad")
        .delete();
    // Several resyncs: the operator cannot read what to delete, so neither the finalizer nor the
    // AWS objects go.
    await()
        .during(Duration.ofSeconds(12))
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                TestEnvironment.client()
                            .genericKubernetesResources(LOOSE)
                            .inNamespace(badNamespace)
                            .withName("deleted-while-bad")
                            .get()
                        != null
                    && moto.targets().stream().anyMatch(t -> t.resourceId().equals(resourceId)));

    TestEnvironment.client()
        .genericKubernetesResources(LOOSE)
        .inNamespace(badNamespace)
        .withName("deleted-while-bad")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/stepScaling/0/steps/0/change\",\"value\":-1}]");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      TestEnvironment.client()
                          .genericKubernetesResources(LOOSE)
                          .inNamespace(badNamespace)
                          .withName("deleted-while-bad")
                          .get())
                  .isNull();
              assertThat(moto.targets()).noneMatch(t -> t.resourceId().equals(resourceId));
            });
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
