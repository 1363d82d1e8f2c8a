package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import dev.sagemaker.autoscaling.testing.SchemaArbitraries;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.jqwik.engine.SourceOfRandomness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Schema fuzzing (issue 12): a few hundred manifests that the CRD's OpenAPI schema admits, generated
 * by {@link SchemaArbitraries} from crds/ as it is now, extremes included, are applied to the real API
 * server with the operator jar running. Every object the API server admits must end Ready=True or
 * Stalled=True with a message (an InvalidSpec message naming its field); objects whose endpoint cannot
 * exist (another region or account) may instead wait with Reconciling=True and a message. The operator
 * process must never exit, and a known-good resource created after all of them must still become Ready.
 * Objects the API server refuses (a CEL rule the generator could not satisfy, a request too large) are
 * counted and printed, not asserted on.
 *
 * <p>Replaying: the seed is printed first ("schema fuzz seed: N"); run again with
 * {@code -Dsmsp.fuzz.seed=N} to generate the same manifests. {@code -Dsmsp.fuzz.cases=M} changes how
 * many (default 200), {@code -Dsmsp.fuzz.timeout=S} how many seconds the objects get to settle
 * (default 150). The operator's log is target/schema-fuzz-operator.log.
 *
 * <p>The operator runs as the production jar in a process of its own rather than in the test JVM: a
 * failing informer makes JOSDK call System.exit, which in the test JVM would end the whole test run
 * instead of failing this test.
 */
class SchemaFuzzIT {
  private static final ResourceDefinitionContext SMSP = new ResourceDefinitionContext.Builder()
      .withGroup("autoscaling.sagemaker.dev").withVersion("v1alpha1").withPlural("sagemakerscalingpolicies")
      .withKind("SageMakerScalingPolicy").withNamespaced(true).build();
  private static final Path JAR = Path.of("target/sagemaker-autoscaling-operator.jar");
  private static final Path LOG = Path.of("target/schema-fuzz-operator.log");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  /** The API server refuses requests over 3 MiB and etcd values over 1.5 MiB; larger ones are not worth sending. */
  private static final int LARGEST_MANIFEST = 3 * 1024 * 1024;

  @RegisterExtension
  static final OperatorExtension fixture = OperatorExtension.withoutOperator();

  private record Case(String name, Map<String, Object> spec, boolean endpointExists) {
    Map<?, ?> target() {
      return (Map<?, ?>) spec.get("target");
    }
  }

  @Test
  void everyAdmittedManifestEndsReadyOrStalledAndTheOperatorKeepsRunning() throws Exception {
    long seed = Long.getLong("smsp.fuzz.seed", new Random().nextLong());
    int count = Integer.getInteger("smsp.fuzz.cases", 200);
    Duration settle = Duration.ofSeconds(Integer.getInteger("smsp.fuzz.timeout", 150));
    System.out.printf("schema fuzz seed: %d (replay with -Dsmsp.fuzz.seed=%d), %d cases%n", seed, seed, count);

    SchemaArbitraries schema = SchemaArbitraries.fromCrd();
    System.out.println("CEL rules left to chance: " + schema.unrepairedRules());
    long started = System.nanoTime();
    List<Case> cases = generate(schema, seed, count);
    long generated = System.nanoTime();
    seedEndpoints(cases);
    long seeded = System.nanoTime();

    Process operator = startOperator();
    try {
      Map<String, String> refused = createAll(cases);
      fixture.seed("known-good", "known-good-endpoint");
      long created = System.nanoTime();
      List<Case> admitted = cases.stream().filter(c -> !refused.containsKey(c.name())).toList();
      Map<String, String> outcomes = awaitOutcomes(admitted, operator, settle);
      long settled = System.nanoTime();
      report(cases, refused, outcomes);
      System.out.printf("  seconds: generating %.1f, moto endpoints %.1f, creating %.1f, settling %.1f%n",
          (generated - started) / 1e9, (seeded - generated) / 1e9, (created - seeded) / 1e9, (settled - created) / 1e9);

      List<String> problems = new ArrayList<>();
      if (!operator.isAlive()) {
        problems.add("the operator exited with " + operator.exitValue() + "; its errors:\n" + errorsInLog()
            + "\nadmitted objects the operator's model cannot read:\n" + unreadable(admitted));
      }
      if (!isReady(get("known-good"))) {
        problems.add("known-good did not become Ready after the fuzz objects: " + status(get("known-good")));
      }
      // A dead operator settles nothing; listing every object it left pending would bury why it died.
      for (Case c : operator.isAlive() ? admitted : List.<Case>of()) {
        String outcome = outcomes.get(c.name());
        if (outcome == null || outcome.startsWith("pending")) {
          problems.add(c.name() + " never settled (" + outcome + "); spec " + abbreviate(SERIALIZATION.asJson(c.spec()))
              + "\n    status " + status(get(c.name())));
        } else if (outcome.startsWith("bad")) {
          problems.add(c.name() + ": " + outcome + "; spec " + abbreviate(SERIALIZATION.asJson(c.spec())));
        }
      }
      assertThat(problems).as("seed %d: replay with -Dsmsp.fuzz.seed=%d", seed, seed).isEmpty();
    } finally {
      operator.destroy();
      if (!operator.waitFor(20, TimeUnit.SECONDS)) {
        operator.destroyForcibly();
      }
    }
  }

  // --- generating and applying

  private static List<Case> generate(SchemaArbitraries schema, long seed, int count) {
    // Outside a jqwik property, sampleStream() draws from jqwik's per-thread source of randomness;
    // seeding it here makes the stream, and so the manifests, a function of the seed.
    SourceOfRandomness.create(Long.toString(seed));
    List<Map<String, Object>> specs = schema.specs().sampleStream().limit(count).toList();
    Set<String> targetNames = new HashSet<>();
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Object> spec = specs.get(i);
      @SuppressWarnings("unchecked")
      Map<String, Object> target = (Map<String, Object>) spec.get("target");
      String key = target.containsKey("endpointName") ? "endpointName" : "inferenceComponentName";
      target.put(key, unique((String) target.get(key), i, targetNames));
      // Outside the operator's region or account, moto has no endpoint to find: such objects may wait.
      cases.add(new Case("f-" + i, spec, !spec.containsKey("aws")));
    }
    return cases;
  }

  /**
   * Each case scales a resource of its own, so its moto endpoint has its variant; a name already taken
   * gets the case number written over its start, keeping its length and the SageMaker name pattern.
   */
  private static String unique(String name, int index, Set<String> taken) {
    String candidate = name;
    if (taken.contains(candidate)) {
      String prefix = "x" + Integer.toString(index, 36);
      candidate = prefix.length() < name.length() ? prefix + name.substring(prefix.length()) : prefix;
      if (candidate.startsWith("-", prefix.length())) {
        candidate = prefix + "0" + candidate.substring(prefix.length());
      }
    }
    taken.add(candidate);
    return candidate;
  }

  /** Creates in moto what each case without spec.aws scales; a name moto refuses leaves that case waiting. */
  private void seedEndpoints(List<Case> cases) throws InterruptedException {
    Moto moto = fixture.moto();
    List<Case> seeded = new ArrayList<>();
    Map<String, String> failed = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (Case c : cases) {
      if (!c.endpointExists()) {
        continue;
      }
      pool.submit(() -> {
        Map<?, ?> target = c.target();
        try {
          if (target.containsKey("inferenceComponentName")) {
            moto.createInferenceComponent((String) target.get("inferenceComponentName"), 1);
          } else {
            String variant = target.containsKey("variantName") ? (String) target.get("variantName") : "AllTraffic";
            if ("ProvisionedConcurrency".equals(target.get("capacityUnit"))) {
              moto.createServerlessEndpoint((String) target.get("endpointName"), variant, 2);
            } else {
              moto.createEndpoint((String) target.get("endpointName"), variant, "ml.c5.2xlarge", 1);
            }
          }
        } catch (RuntimeException e) {
          failed.put(c.name(), e.getMessage());
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
    if (!failed.isEmpty()) {
      System.out.println("moto refused the backing resource of " + failed.size() + " cases; they may wait: " + failed);
      cases.replaceAll(c -> failed.containsKey(c.name()) ? new Case(c.name(), c.spec(), false) : c);
    }
  }

  /** Creates every case; returns the refused ones with the API server's reason. */
  private Map<String, String> createAll(List<Case> cases) throws InterruptedException {
    Map<String, String> refused = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (Case c : cases) {
      pool.submit(() -> {
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion("autoscaling.sagemaker.dev/v1alpha1");
        resource.setKind("SageMakerScalingPolicy");
        resource.setMetadata(new ObjectMetaBuilder().withName(c.name()).withNamespace(fixture.namespace()).build());
        resource.setAdditionalProperty("spec", c.spec());
        String json = SERIALIZATION.asJson(resource);
        if (json.length() > LARGEST_MANIFEST) {
          refused.put(c.name(), "not sent: " + json.length() + " characters");
          return;
        }
        try {
          fixture.client().genericKubernetesResources(SMSP).inNamespace(fixture.namespace()).resource(resource).create();
        } catch (KubernetesClientException e) {
          refused.put(c.name(), e.getCode() + " " + e.getMessage());
        } catch (RuntimeException e) {
          refused.put(c.name(), "client: " + e);
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
    return refused;
  }

  // --- outcomes

  /** Polls until every admitted object has settled, the operator died, or the time is up; name to outcome. */
  private Map<String, String> awaitOutcomes(List<Case> admitted, Process operator, Duration settle) throws InterruptedException {
    long deadline = System.nanoTime() + settle.toNanos();
    Map<String, String> outcomes = Map.of();
    while (true) {
      Map<String, GenericKubernetesResource> current = fixture.client().genericKubernetesResources(SMSP).inNamespace(fixture.namespace())
          .list().getItems().stream().collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r));
      outcomes = admitted.stream().collect(Collectors.toMap(Case::name, c -> outcome(c, current.get(c.name()))));
      boolean settled = outcomes.values().stream().noneMatch(o -> o.startsWith("pending")) && isReady(current.get("known-good"));
      if (settled || !operator.isAlive() || System.nanoTime() > deadline) {
        return outcomes;
      }
      Thread.sleep(2000);
    }
  }

  /** "ready", "stalled:Reason", "waiting:Reason", "bad: why" or "pending: what it shows now". */
  private static String outcome(Case c, GenericKubernetesResource resource) {
    if (resource == null) {
      return "bad: the admitted object is gone";
    }
    if (isReady(resource)) {
      return "ready";
    }
    Optional<Map<?, ?>> stalled = condition(resource, "Stalled").filter(s -> "True".equals(s.get("status")));
    if (stalled.isPresent() && observedCurrentGeneration(resource)) {
      String reason = String.valueOf(stalled.get().get("reason"));
      String message = String.valueOf(stalled.get().get("message"));
      if (message.isBlank() || "null".equals(message)) {
        return "bad: Stalled " + reason + " without a message";
      }
      if ("InvalidSpec".equals(reason) && !message.contains("spec.")) {
        return "bad: InvalidSpec message names no field: " + message;
      }
      return "stalled:" + reason;
    }
    Optional<Map<?, ?>> reconciling = condition(resource, "Reconciling").filter(s -> "True".equals(s.get("status")));
    if (!c.endpointExists() && reconciling.isPresent() && reconciling.get().get("message") != null
        && Set.of("EndpointNotFound", "VariantNotFound", "NoRegion", "AwsRetrying").contains(String.valueOf(reconciling.get().get("reason")))) {
      return "waiting:" + reconciling.get().get("reason");
    }
    return "pending: " + status(resource);
  }

  private static boolean isReady(GenericKubernetesResource resource) {
    return resource != null && observedCurrentGeneration(resource)
        && condition(resource, "Ready").map(c -> "True".equals(c.get("status"))).orElse(false);
  }

  private static boolean observedCurrentGeneration(GenericKubernetesResource resource) {
    Object observed = statusMap(resource).get("observedGeneration");
    return observed instanceof Number n && n.longValue() == resource.getMetadata().getGeneration();
  }

  private static Map<?, ?> statusMap(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map ? map : Map.of();
  }

  private static Optional<Map<?, ?>> condition(GenericKubernetesResource resource, String type) {
    Object conditions = statusMap(resource).get("conditions");
    if (!(conditions instanceof List<?> list)) {
      return Optional.empty();
    }
    return list.stream().filter(c -> c instanceof Map<?, ?> m && type.equals(m.get("type"))).<Map<?, ?>>map(c -> (Map<?, ?>) c).findFirst();
  }

  private static String status(GenericKubernetesResource resource) {
    return resource == null ? "(gone)" : abbreviate(String.valueOf(statusMap(resource).get("conditions")));
  }

  private GenericKubernetesResource get(String name) {
    return fixture.client().genericKubernetesResources(SMSP).inNamespace(fixture.namespace()).withName(name).get();
  }

  // --- diagnosis and report

  /**
   * Admitted objects the operator's own model cannot read, grouped by the field the reader stopped at
   * (list indexes dropped), with the count and one example each: what stops an informer.
   */
  private String unreadable(List<Case> admitted) {
    Map<String, List<String>> byField = new TreeMap<>();
    for (Case c : admitted) {
      GenericKubernetesResource stored = get(c.name());
      if (stored == null) {
        continue;
      }
      try {
        SERIALIZATION.unmarshal(SERIALIZATION.asJson(stored), SageMakerScalingPolicy.class);
      } catch (RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof JsonMappingException)) {
          cause = cause.getCause();
        }
        String field = cause instanceof JsonMappingException mapping ? fieldPath(mapping) : "?";
        String problem = cause instanceof JsonMappingException mapping ? mapping.getOriginalMessage() : String.valueOf(cause);
        byField.computeIfAbsent(field.replaceAll("\\[\\d+\\]", "[]"), k -> new ArrayList<>())
            .add(c.name() + " " + field + ": " + abbreviate(problem));
      }
    }
    if (byField.isEmpty()) {
      return "  (none)";
    }
    return byField.entrySet().stream().map(e -> "  " + e.getKey() + ": " + e.getValue().size() + " objects, e.g. " + e.getValue().get(0))
        .collect(Collectors.joining("\n"));
  }

  private static String fieldPath(JsonMappingException e) {
    return e.getPath().stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining()).replaceFirst("^\\.", "");
  }

  private static String errorsInLog() {
    try {
      List<String> lines = Files.readAllLines(LOG);
      return lines.stream().filter(l -> l.contains("ERROR") || l.contains("Exception") || l.contains("exiting"))
          .limit(20).map(SchemaFuzzIT::abbreviate).collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void report(List<Case> cases, Map<String, String> refused, Map<String, String> outcomes) {
    Map<String, Long> byOutcome = new TreeMap<>(outcomes.values().stream()
        .collect(Collectors.groupingBy(o -> o.replaceAll(":.*", ":") + o.replaceAll("^[^:]*:?", "").replaceAll("^ .*", "…"),
            Collectors.counting())));
    Map<String, Long> refusals = new TreeMap<>(refused.values().stream()
        .collect(Collectors.groupingBy(SchemaFuzzIT::refusalKind, Collectors.counting())));
    System.out.printf("schema fuzz: %d cases, %d admitted, %d refused%n  outcomes: %s%n  refusals: %s%n",
        cases.size(), outcomes.size(), refused.size(), byOutcome, refusals);
  }

  /** A refusal's gist: the CEL message or schema complaint without the object's name or values. */
  private static String refusalKind(String refusal) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(spec[^:]*): (Invalid value|Too long|Too many|Required value)[^:]*: (.{0,80})")
        .matcher(refusal);
    if (m.find()) {
      return m.group(1).replaceAll("\\[\\d+\\]", "[]") + ": " + m.group(2) + ": " + m.group(3).replaceAll("\"[^\"]*\"", "…");
    }
    return abbreviate(refusal).replaceAll("f-\\d+", "f-N");
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 400 ? s : s.substring(0, 400) + "…(" + s.length() + " chars)";
  }

  // --- the operator

  private Process startOperator() throws IOException {
    Files.deleteIfExists(LOG);
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx512m", "-jar", JAR.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()));
    pb.environment().put("KUBECONFIG", fixture.kubeconfig().toString());
    pb.environment().put("WATCH_NAMESPACES", fixture.namespace());
    pb.environment().put("CLUSTER_NAME", "test");
    pb.environment().put("METRICS_PORT", "0");
    pb.environment().put("RESYNC_PERIOD", "5m");
    // Robustness against the schema, not CloudWatch's quotas, is under test: no pacing.
    pb.environment().put("AWS_RATE_LIMITS", "PutMetricAlarm=0,DeleteAlarms=0,DescribeAlarms=0");
    pb.environment().put("AWS_ENDPOINT_URL", fixture.awsEndpoint().toString());
    pb.environment().put("AWS_REGION", Moto.REGION);
    pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
    pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
    return pb.start();
  }
}
