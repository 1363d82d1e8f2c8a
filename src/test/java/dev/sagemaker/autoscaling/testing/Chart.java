package dev.sagemaker.autoscaling.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.aws.AwsClientFactory;
import dev.sagemaker.autoscaling.cli.RunCommand;
import dev.sagemaker.autoscaling.tenancy.TenancyMode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Helm chart as users install it: rendered by the helm binary the setup script installs, parsed
 * with the fabric8 client's serialization, applied with server-side apply to the test API server.
 */
public final class Chart {
  public static final Path DIR = Path.of("helm/sagemaker-autoscaling-operator");
  public static final Path NON_DEFAULT_VALUES = DIR.resolve("ci/non-default-values.yaml");

  private Chart() {}

  /** Output and exit code of a finished process. */
  public record Result(int exitCode, String output) {}

  public static Path helm() {
    String tools = System.getenv("SMSP_TOOLS_BIN");
    Path helm =
        tools != null
            ? Path.of(tools, "helm")
            : Path.of(
                System.getProperty("user.home"), ".cache/sagemaker-autoscaling-operator/bin/helm");
    assertThat(helm).as("helm (run src/test/sh/setup-test-env.sh)").isExecutable();
    return helm;
  }

  /** Runs a command in the repository root, stdout and stderr together, with a time limit. */
  public static Result run(Map<String, String> env, String... command) {
    try {
      Path output = Files.createTempFile("chart-run", ".log");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(
              String.join(" ", command)
                  + " did not finish within 120 s:\n"
                  + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code helm <args>}; fails with helm's output unless it exits 0. */
  public static String helmOk(String... args) {
    List<String> command = new ArrayList<>(List.of(helm().toString()));
    command.addAll(List.of(args));
    Result result = run(Map.of(), command.toArray(String[]::new));
    assertThat(result.exitCode())
        .as("helm %s failed:%n%s", String.join(" ", args), result.output())
        .isZero();
    return result.output();
  }

  /** {@code helm template <release> <chart> --namespace <namespace> <args>}. */
  public static String template(String release, String namespace, String... args) {
    List<String> command =
        new ArrayList<>(List.of("template", release, DIR.toString(), "--namespace", namespace));
    command.addAll(List.of(args));
    return helmOk(command.toArray(String[]::new));
  }

  /** Every object of a multi-document YAML stream, in order; empty documents dropped. */
  public static List<HasMetadata> parse(KubernetesClient client, String yaml) {
    Object parsed = client.getKubernetesSerialization().unmarshal(yaml);
    List<HasMetadata> objects = new ArrayList<>();
    if (parsed instanceof KubernetesList list) {
      objects.addAll(list.getItems());
    } else if (parsed instanceof Collection<?> items) {
      items.stream()
          .filter(HasMetadata.class::isInstance)
          .map(HasMetadata.class::cast)
          .forEach(objects::add);
    } else if (parsed instanceof HasMetadata single) {
      objects.add(single);
    }
    return objects;
  }

  public static List<HasMetadata> ofKind(List<HasMetadata> objects, String... kinds) {
    Set<String> wanted = Set.of(kinds);
    return objects.stream().filter(o -> wanted.contains(o.getKind())).toList();
  }

  public static <T extends HasMetadata> T single(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as("rendered %s objects", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  /** Creates every namespace the objects live in (server-side apply, so existing ones are fine). */
  public static void createNamespaces(KubernetesClient client, List<HasMetadata> objects) {
    Set<String> namespaces = new LinkedHashSet<>();
    objects.stream()
        .map(o -> o.getMetadata().getNamespace())
        .filter(ns -> ns != null)
        .forEach(namespaces::add);
    namespaces.forEach(ns -> createNamespace(client, ns));
  }

  public static void createNamespace(KubernetesClient client, String namespace) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
  }

  /**
   * Server-side applies each object with strict field validation (unknown or duplicate fields are
   * errors, as with {@code kubectl apply --server-side}); returns what the API server stored.
   */
  public static List<HasMetadata> apply(KubernetesClient client, List<HasMetadata> objects) {
    List<HasMetadata> applied = new ArrayList<>();
    for (HasMetadata object : objects) {
      try {
        applied.add(client.resource(object).fieldValidation(Validation.STRICT).serverSideApply());
      } catch (RuntimeException e) {
        throw new AssertionError(
            "server-side apply of " + describe(object) + " failed: " + e.getMessage(), e);
      }
    }
    return applied;
  }

  public static String describe(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return object.getKind() + " " + (ns == null ? "" : ns + "/") + object.getMetadata().getName();
  }

  /** The operator container's plain env values, as the Deployment passes them to RunCommand. */
  public static Map<String, String> env(Deployment deployment) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var :
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), var.getValue());
      }
    }
    return env;
  }

  /**
   * What RunCommand builds from the Deployment's environment (WATCH_NAMESPACES, LABEL_SELECTOR,
   * RESYNC_PERIOD, CLUSTER_NAME, LEADER_ELECTION_*, TENANCY), with the metrics server off for
   * tests.
   */
  public static RunCommand.OperatorSettings operatorSettings(Map<String, String> env) {
    Set<String> namespaces = new LinkedHashSet<>();
    for (String ns : env.getOrDefault("WATCH_NAMESPACES", "").split(",")) {
      if (!ns.isBlank()) {
        namespaces.add(ns.trim());
      }
    }
    String selector = env.getOrDefault("LABEL_SELECTOR", "");
    boolean leaderElection =
        Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION_ENABLED", "false"));
    return new RunCommand.OperatorSettings(
            namespaces,
            selector.isBlank() ? null : selector,
            RunCommand.parseDuration(env.getOrDefault("RESYNC_PERIOD", "5m")),
            RunCommand.clusterName(env.get("CLUSTER_NAME"), TestEnvironment.client()),
            0,
            leaderElection ? env.get("LEADER_ELECTION_LEASE_NAME") : null,
            leaderElection ? env.get("LEADER_ELECTION_NAMESPACE") : null,
            4)
        .withTenancy(TenancyMode.parse(env.getOrDefault("TENANCY", "namespace-grants")));
  }

  /** AWS settings pointing at the test moto_server, as OperatorHarness uses them. */
  public static AwsClientFactory.Settings motoAws() {
    return new AwsClientFactory.Settings(
        Optional.of(Moto.REGION),
        Optional.of(TestEnvironment.motoEndpoint()),
        Moto.CREDENTIALS,
        3,
        Duration.ofSeconds(30));
  }

  /** The identity Kubernetes gives a pod running as the ServiceAccount, for impersonation. */
  public static String serviceAccountUser(String namespace, String name) {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  /**
   * A client of the test API server that impersonates the ServiceAccount with the groups a real
   * ServiceAccount token carries, so RBAC decides as it would for the operator pod.
   */
  public static KubernetesClient impersonating(String namespace, String serviceAccount) {
    Config config = Config.fromKubeconfig(TestEnvironment.kubeconfigYaml());
    config.setImpersonateUsername(serviceAccountUser(namespace, serviceAccount));
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A client of the test API server with the admin identity, independent of the shared one. */
  public static KubernetesClient newAdminClient() {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(TestEnvironment.kubeconfigYaml()))
        .build();
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Stream<String> kinds(List<HasMetadata> objects) {
    return objects.stream().map(HasMetadata::getKind);
  }
}
