package dev.sagemaker.autoscaling.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs are what users install; they must equal what the build generates from the API
 * classes.
 */
class CrdUpToDateTest {
  private static final String FILE = "sagemakerscalingpolicies.autoscaling.sagemaker.dev-v1.yml";
  private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8", FILE);

  @Test
  void committedCrdEqualsGenerated() throws Exception {
    assertThat(Files.readString(Path.of("crds", FILE)))
        .as("crds/%s is stale: run src/test/sh/update-crds.sh and commit", FILE)
        .isEqualTo(Files.readString(GENERATED));
  }

  @Test
  void helmChartCrdEqualsGenerated() throws Exception {
    assertThat(Files.readString(Path.of("helm/sagemaker-autoscaling-operator/crds", FILE)))
        .as("the chart's CRD is stale: run src/test/sh/update-crds.sh and commit")
        .isEqualTo(Files.readString(GENERATED));
  }
}
