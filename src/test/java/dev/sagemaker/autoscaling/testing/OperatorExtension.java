package dev.sagemaker.autoscaling.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The integration-test fixture: the shared API server and moto ({@link TestEnvironment}), moto
 * wiped, a fresh namespace, optionally the {@link AwsProxy} in front of moto, and the operator
 * running in the test JVM ({@link OperatorHarness}) for that namespace, through the proxy when
 * there is one.
 *
 * <p>Registered on an instance field with {@code @RegisterExtension}, all of it is set up for each
 * test; on a static field, once for the class. After each test it fails the test with any request
 * the proxy could not name and any request moto's contract checker found against the AWS API
 * models.
 */
public final class OperatorExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration GONE_TIMEOUT = Duration.ofSeconds(60);
  private static final Path SEED = Path.of("examples/realtime-seed.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration resync;
  private final boolean startOperator;
  private final Consumer<AwsProxy> proxySetup;
  private final List<AwsProxy> proxies = new ArrayList<>();
  private final List<OperatorHarness> operators = new ArrayList<>();
  private boolean perClass;
  private int violationsReported;
  private String namespace;
  private Moto moto;
  private AwsProxy proxy;
  private OperatorHarness operator;
  private Path kubeconfig;

  private OperatorExtension(Duration resync, boolean startOperator, Consumer<AwsProxy> proxySetup) {
    this.resync = resync;
    this.startOperator = startOperator;
    this.proxySetup = proxySetup;
  }

  /** moto wiped, a fresh namespace and the operator watching it with this resync period. */
  public static OperatorExtension operator(Duration resync) {
    return new OperatorExtension(resync, true, null);
  }

  /**
   * moto wiped and a fresh namespace; the test starts what operator it needs (a jar, replicas,
   * shards).
   */
  public static OperatorExtension withoutOperator() {
    return new OperatorExtension(null, false, null);
  }

  /**
   * The same, with AWS reached through a proxy; setup runs before the operator starts (quotas,
   * say).
   */
  public OperatorExtension throughProxy(Consumer<AwsProxy> setup) {
    return new OperatorExtension(resync, startOperator, setup);
  }

  public OperatorExtension throughProxy() {
    return throughProxy(proxy -> {});
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    perClass = true;
    setUp();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      setUp();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      failOnUnparsedAwsCalls();
      failOnContractViolations();
    } finally {
      if (!perClass) {
        tearDown();
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (perClass) {
      tearDown();
    }
  }

  private void setUp() throws IOException {
    TestEnvironment.ensureStarted();
    TestEnvironment.resetMoto();
    violationsReported = 0;
    namespace = createNamespace("t");
    moto = new Moto(TestEnvironment.motoEndpoint());
    if (proxySetup != null) {
      proxy = newProxy();
      proxySetup.accept(proxy);
    }
    if (startOperator) {
      operator = startOperator(resync, awsEndpoint(), null);
    }
  }

  private void tearDown() {
    // Operators before the proxies they talk through.
    operators.forEach(OperatorHarness::close);
    operators.clear();
    proxies.forEach(AwsProxy::close);
    proxies.clear();
    if (moto != null) {
      moto.close();
    }
    if (kubeconfig != null) {
      try {
        Files.deleteIfExists(kubeconfig);
      } catch (IOException e) {
        // A temporary file left behind harms nothing.
      }
    }
    kubeconfig = null;
    operator = null;
    proxy = null;
    moto = null;
  }

  /**
   * A namespace of its own, prefix-random, for what a test needs beside the fixture's (a Lease,
   * say).
   */
  public String createNamespace(String prefix) {
    return OperatorHarness.newNamespace(prefix);
  }

  /**
   * Another proxy in front of moto, closed and checked for unparsed calls with the fixture's own.
   */
  public AwsProxy newProxy() throws IOException {
    AwsProxy created = new AwsProxy(TestEnvironment.motoEndpoint());
    proxies.add(created);
    return created;
  }

  /** Another in-process operator for the fixture's namespace, stopped at the end (a shard, say). */
  public OperatorHarness startOperator(Duration resync, URI awsEndpoint, String labelSelector)
      throws IOException {
    OperatorHarness started = OperatorHarness.start(resync, awsEndpoint, namespace, labelSelector);
    operators.add(started);
    return started;
  }

  // --- what the tests work with

  public String namespace() {
    return namespace;
  }

  public KubernetesClient client() {
    return TestEnvironment.client();
  }

  /**
   * The test API server's kubeconfig in a file, for an operator started as a process of its own.
   */
  public Path kubeconfig() throws IOException {
    if (kubeconfig == null) {
      kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
      Files.writeString(kubeconfig, TestEnvironment.kubeconfigYaml());
    }
    return kubeconfig;
  }

  public Moto moto() {
    return moto;
  }

  public AwsProxy proxy() {
    if (proxy == null) {
      throw new IllegalStateException("this fixture has no proxy: register it with throughProxy()");
    }
    return proxy;
  }

  /** Where the fixture's operator reaches AWS: the proxy if there is one, else moto. */
  public URI awsEndpoint() {
    return proxy != null ? proxy.endpoint() : TestEnvironment.motoEndpoint();
  }

  public OperatorHarness operator() {
    if (operator == null) {
      throw new IllegalStateException("this fixture starts no operator");
    }
    return operator;
  }

  public SageMakerScalingPolicy get(String name) {
    return client()
        .resources(SageMakerScalingPolicy.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  /**
   * The name every AWS object of a resource starts with:
   * smsp_&lt;cluster&gt;_&lt;namespace&gt;_&lt;name&gt;_.
   */
  public String awsPrefix(String name) {
    return "smsp_test_" + namespace + "_" + name + "_";
  }

  public List<Event> events() {
    return client().v1().events().inNamespace(namespace).list().getItems();
  }

  // --- seeding and waiting

  /**
   * examples/realtime-seed.yaml as resource {@code name} in this namespace, for {@code endpoint};
   * not applied.
   */
  public SageMakerScalingPolicy seedManifest(String name, String endpoint) {
    SageMakerScalingPolicy resource = Examples.load(SEED, namespace);
    resource.getMetadata().setName(name);
    resource.getSpec().getTarget().setEndpointName(endpoint);
    return resource;
  }

  public SageMakerScalingPolicy create(SageMakerScalingPolicy resource) {
    return client().resource(resource).create();
  }

  /**
   * Creates the endpoint the seed scales (variant prod, one ml.c5.2xlarge) and applies the seed for
   * it.
   */
  public SageMakerScalingPolicy seed(String name, String endpoint) {
    return seed(name, endpoint, resource -> {});
  }

  /** As {@link #seed(String, String)}, with the manifest changed first. */
  public SageMakerScalingPolicy seed(
      String name, String endpoint, Consumer<SageMakerScalingPolicy> change) {
    moto.createEndpoint(endpoint, "prod", "ml.c5.2xlarge", 1);
    SageMakerScalingPolicy resource = seedManifest(name, endpoint);
    change.accept(resource);
    return create(resource);
  }

  /** Ready=True for the current generation: the operator has acted on the spec as it is now. */
  public boolean isReady(String name) {
    SageMakerScalingPolicy r = get(name);
    return r != null
        && OperatorHarness.isTrue(r, "Ready")
        && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration());
  }

  /**
   * Waits until {@link #isReady}, failing with the Ready condition's reason and message; returns
   * the resource.
   */
  public SageMakerScalingPolicy awaitReady(String name) {
    await()
        .atMost(READY_TIMEOUT)
        .untilAsserted(
            () -> {
              SageMakerScalingPolicy r = get(name);
              assertThat(r).as("resource %s/%s", namespace, name).isNotNull();
              assertThat(OperatorHarness.condition(r, "Ready"))
                  .as("status %s", r.getStatus())
                  .hasValueSatisfying(
                      c ->
                          assertThat(c.getStatus())
                              .as(c.getReason() + ": " + c.getMessage())
                              .isEqualTo("True"));
              assertThat(r.getStatus().getObservedGeneration())
                  .as("observedGeneration")
                  .isEqualTo(r.getMetadata().getGeneration());
            });
    return get(name);
  }

  /** Changes the resource, and waits until it is Ready for the new generation. */
  public SageMakerScalingPolicy update(String name, Consumer<SageMakerScalingPolicy> change) {
    SageMakerScalingPolicy current = get(name);
    change.accept(current);
    client().resource(current).update();
    return awaitReady(name);
  }

  public void deleteAndAwaitGone(String name) {
    client().resources(SageMakerScalingPolicy.class).inNamespace(namespace).withName(name).delete();
    await().atMost(GONE_TIMEOUT).until(() -> get(name) == null);
  }

  // --- what AWS holds

  /**
   * Names of the AWS objects of the kinds the operator manages: target resource ids, policies,
   * alarms, scheduled actions.
   */
  public record AwsObjects(
      Set<String> targets, Set<String> policies, Set<String> alarms, Set<String> schedules) {
    public static final AwsObjects NONE = new AwsObjects(Set.of(), Set.of(), Set.of(), Set.of());

    public AwsObjects {
      targets = Collections.unmodifiableSortedSet(new TreeSet<>(targets));
      policies = Collections.unmodifiableSortedSet(new TreeSet<>(policies));
      alarms = Collections.unmodifiableSortedSet(new TreeSet<>(alarms));
      schedules = Collections.unmodifiableSortedSet(new TreeSet<>(schedules));
    }

    public int count() {
      return targets.size() + policies.size() + alarms.size() + schedules.size();
    }
  }

  /** Everything moto holds of the kinds the operator manages, by name. */
  public AwsObjects awsObjects() {
    return new AwsObjects(
        moto.targets().stream().map(t -> t.resourceId()).collect(Collectors.toSet()),
        moto.policies().stream().map(p -> p.policyName()).collect(Collectors.toSet()),
        moto.alarms().stream().map(a -> a.alarmName()).collect(Collectors.toSet()),
        moto.scheduledActions().stream()
            .map(a -> a.scheduledActionName())
            .collect(Collectors.toSet()));
  }

  // --- checks after each test

  private void failOnUnparsedAwsCalls() {
    List<String> unparsed = proxies.stream().flatMap(p -> p.takeUnparsed().stream()).toList();
    if (!unparsed.isEmpty()) {
      throw new AssertionError(
          "the AWS proxy could not name " + unparsed.size() + " requests: " + unparsed);
    }
  }

  /**
   * moto's contract checker (src/test/moto) records every request that breaks the AWS API models
   * and lists them at /_smsp/contract-violations until moto is reset. A 404 means the checker is
   * absent.
   */
  private void failOnContractViolations() {
    URI uri = TestEnvironment.motoEndpoint().resolve("/_smsp/contract-violations");
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("could not ask moto for contract violations at " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (response.statusCode() == 404) {
      return;
    }
    if (response.statusCode() != 200) {
      throw new AssertionError(uri + " answered " + response.statusCode() + ": " + response.body());
    }
    JsonNode violations;
    try {
      violations = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(uri + " answered what is not JSON: " + response.body(), e);
    }
    if (!violations.isArray()) {
      throw new AssertionError(uri + " answered what is not a JSON list: " + response.body());
    }
    // With the fixture per class, moto is reset once: report each violation after the test that
    // caused it.
    List<String> fresh = new ArrayList<>();
    for (int i = violationsReported; i < violations.size(); i++) {
      fresh.add(violations.get(i).toString());
    }
    violationsReported = violations.size();
    if (!fresh.isEmpty()) {
      throw new AssertionError(
          fresh.size() + " requests broke the AWS API models:\n  " + String.join("\n  ", fresh));
    }
  }
}
