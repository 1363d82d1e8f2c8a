package dev.sagemaker.autoscaling.testing;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The manifests in examples/, which the tests and the sandbox apply as users would. */
public final class Examples {
  public static final Path DIRECTORY = Path.of("examples");

  private Examples() {}

  public static List<Path> files() {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SageMakerScalingPolicy load(Path file, String namespace) {
    try {
      SageMakerScalingPolicy resource =
          Serialization.unmarshal(Files.readString(file), SageMakerScalingPolicy.class);
      resource.getMetadata().setNamespace(namespace);
      return resource;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
