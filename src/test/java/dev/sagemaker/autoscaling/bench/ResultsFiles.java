package dev.sagemaker.autoscaling.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * docs/benchmarks/results-N.json (the figures), results-N.md (that run) and results.md (every N
 * side by side, rebuilt from the JSON files whenever one changes).
 */
final class ResultsFiles {
  /** BENCH_RESULTS_DIR puts trial runs (of one lever, say) elsewhere. */
  static final Path DIRECTORY =
      Path.of(System.getenv().getOrDefault("BENCH_RESULTS_DIR", "docs/benchmarks"));

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ResultsFiles() {}

  static void save(BenchmarkResult result) throws IOException {
    Files.createDirectories(DIRECTORY);
    String name = baseName(result.setup());
    JSON.writeValue(DIRECTORY.resolve(name + ".json").toFile(), result);
    Files.writeString(DIRECTORY.resolve(name + ".md"), ResultsReport.forRun(result));
    combine();
  }

  /**
   * results-N for the seed's full stack, results-N-target-tracking for the target-tracking-only
   * fleet.
   */
  static String baseName(BenchmarkResult.Setup setup) {
    return "results-" + setup.n() + (isSeed(setup) ? "" : "-" + setup.fleet());
  }

  /** Runs from before the fleet was recorded carried the seed's full stack. */
  static boolean isSeed(BenchmarkResult.Setup setup) {
    return setup.fleet() == null || setup.fleet().equals(Fleet.Variant.SEED.label);
  }

  static void combine() throws IOException {
    List<BenchmarkResult> runs = new ArrayList<>();
    if (!Files.isDirectory(DIRECTORY)) {
      return;
    }
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().matches("results-\\d+(-[a-z-]+)?\\.json"))
              .toList()) {
        BenchmarkResult run = JSON.readValue(file.toFile(), BenchmarkResult.class);
        // Each run's page again too: it is a function of its figures, so it follows the report.
        Files.writeString(
            DIRECTORY.resolve(baseName(run.setup()) + ".md"), ResultsReport.forRun(run));
        runs.add(run);
      }
    }
    if (runs.isEmpty()) {
      return;
    }
    runs.sort(
        Comparator.comparingInt((BenchmarkResult r) -> r.setup().n())
            .thenComparing(r -> !isSeed(r.setup())));
    Files.writeString(DIRECTORY.resolve("results.md"), ResultsReport.combined(runs));
  }
}
