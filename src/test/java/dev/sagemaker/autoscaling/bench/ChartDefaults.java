package dev.sagemaker.autoscaling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM settings the Helm chart ships, read from its values.yaml so the benchmark follows the
 * chart when it changes.
 *
 * @param javaToolOptions the chart's javaToolOptions, verbatim
 * @param memoryLimit the container memory limit, e.g. "512Mi"
 */
record ChartDefaults(String javaToolOptions, String memoryLimit) {
  static final Path VALUES = Path.of("helm/sagemaker-autoscaling-operator/values.yaml");

  static ChartDefaults read() throws IOException {
    JsonNode values = new YAMLMapper().readTree(VALUES.toFile());
    return new ChartDefaults(
        values.path("javaToolOptions").asText(),
        values.path("resources").path("limits").path("memory").asText());
  }

  /**
   * The chart's flags plus -XX:MaxRAM set to the container's memory limit. In the pod the JVM sees
   * that limit as its RAM, and MaxRAMPercentage (and the initial heap) are fractions of it; on a
   * bare host it would size the heap from all the machine's memory instead, which is not what
   * production runs.
   */
  List<String> jvmFlags() {
    List<String> flags = new ArrayList<>(Arrays.asList(javaToolOptions.trim().split("\\s+")));
    flags.add("-XX:MaxRAM=" + jvmSize(memoryLimit));
    // For trying a JVM lever before it goes into the chart; the results name every flag used.
    String extra = System.getenv().getOrDefault("BENCH_EXTRA_JVM_FLAGS", "").trim();
    if (!extra.isEmpty()) {
      flags.addAll(Arrays.asList(extra.split("\\s+")));
    }
    return flags;
  }

  /** Kubernetes quantity (512Mi, 1Gi) to a JVM size (512m, 1g). */
  static String jvmSize(String quantity) {
    if (quantity.endsWith("Mi")) {
      return quantity.substring(0, quantity.length() - 2) + "m";
    }
    if (quantity.endsWith("Gi")) {
      return quantity.substring(0, quantity.length() - 2) + "g";
    }
    throw new IllegalArgumentException("memory limit not in Mi or Gi: " + quantity);
  }
}
