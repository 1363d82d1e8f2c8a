package dev.sagemaker.autoscaling.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real kube-apiserver (kube-api-test, offline, binaries from src/test/sh/setup-test-env.sh) and
 * one moto_server per test run, both on free loopback ports, stopped when the run ends. The CRD
 * applied is the committed file in crds/, so the tests check what users install.
 */
public final class TestEnvironment implements BeforeAllCallback {
  private static final Path CRD =
      Path.of("crds/sagemakerscalingpolicies.autoscaling.sagemaker.dev-v1.yml");
  private static volatile Servers servers;

  private record Servers(
      KubeAPIServer apiServer, KubernetesClient client, Process moto, URI motoEndpoint)
      implements AutoCloseable {
    @Override
    public void close() {
      client.close();
      apiServer.stop();
      moto.destroy();
      try {
        moto.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ensureStarted();
  }

  /** Starts the servers once per JVM; they stop when the JVM exits. Also used by the sandbox. */
  public static synchronized void ensureStarted() {
    if (servers == null) {
      servers = startServers();
      Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "test-servers-stop"));
    }
  }

  public static KubernetesClient client() {
    return servers.client();
  }

  public static URI motoEndpoint() {
    return servers.motoEndpoint();
  }

  /** Kubeconfig of the test API server, for tools (kubectl) and child processes. */
  public static String kubeconfigYaml() {
    return servers.apiServer().getKubeConfigYaml();
  }

  /** Wipes every moto backend; tests call it before they start. */
  public static void resetMoto() {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(motoEndpoint().resolve("/moto-api/reset"))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("moto reset answered " + response.statusCode());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record Moto(Process process, URI endpoint) {}

  private static Servers startServers() {
    Moto started = startMoto();
    Process moto = started.process();
    try {
      // Offline: the binaries are installed by the setup script; a missing one is a clear error,
      // not a download.
      Cluster cluster = Cluster.start();
      return new Servers(cluster.apiServer(), cluster.client(), moto, started.endpoint());
    } catch (IOException | RuntimeException e) {
      moto.destroy();
      throw new IllegalStateException(
          "could not start the test API server (run src/test/sh/setup-test-env.sh first)", e);
    }
  }

  /** Applies the committed CRD and waits until the API server serves it. */
  private static void installCrd(KubernetesClient client) throws IOException {
    try (InputStream crd = Files.newInputStream(CRD)) {
      CustomResourceDefinition definition =
          client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class);
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(definition)
          .serverSideApply();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(definition.getMetadata().getName())
          .waitUntilCondition(
              d ->
                  d.getStatus() != null
                      && d.getStatus().getConditions() != null
                      && d.getStatus().getConditions().stream()
                          .anyMatch(
                              c ->
                                  "Established".equals(c.getType())
                                      && "True".equals(c.getStatus())),
              60,
              TimeUnit.SECONDS);
    }
  }

  /**
   * A cluster: an API server of its own (own etcd, own kube-system UID) with the CRD. The shared
   * one is started once per JVM; tests of clusters that share an AWS account start another beside
   * it and the one moto, and stop it themselves.
   */
  public record Cluster(KubeAPIServer apiServer, KubernetesClient client) implements AutoCloseable {
    public static Cluster start() throws IOException {
      KubeAPIServer apiServer =
          new KubeAPIServer(
              KubeAPIServerConfigBuilder.anAPIServerConfig()
                  .withOfflineMode(true)
                  .withStartupTimeout(180_000)
                  .build());
      apiServer.start();
      KubernetesClient client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(apiServer.getKubeConfigYaml()))
              .build();
      installCrd(client);
      return new Cluster(apiServer, client);
    }

    @Override
    public void close() {
      client.close();
      apiServer.stop();
    }
  }

  private static Moto startMoto() {
    // moto_server plus the documented test-side extensions in src/test/moto (see that file).
    String python =
        System.getenv()
            .getOrDefault(
                "SMSP_MOTO_PYTHON",
                System.getProperty("user.home")
                    + "/.cache/sagemaker-autoscaling-operator/moto-5.2.5/bin/python");
    if (!Files.isExecutable(Path.of(python))) {
      throw new IllegalStateException(
          python + " not found: run src/test/sh/setup-test-env.sh first");
    }
    int port = freePort();
    try {
      Path log = Files.createDirectories(Path.of("target")).resolve("moto_server.log");
      Process moto =
          new ProcessBuilder(
                  python,
                  "src/test/moto/smsp_moto_server.py",
                  "-H",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      URI uri = URI.create("http://127.0.0.1:" + port);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!moto.isAlive()) {
          throw new IllegalStateException("moto_server exited; see " + log);
        }
        try {
          if (http.send(
                      HttpRequest.newBuilder(uri.resolve("/moto-api/")).build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode()
              == 200) {
            return new Moto(moto, uri);
          }
        } catch (IOException notYet) {
          Thread.sleep(200);
        }
      }
      moto.destroy();
      throw new IllegalStateException("moto_server did not answer within 60 s; see " + log);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
