package dev.sagemaker.autoscaling.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The operator JVM's memory figures, taken once its work is done (the forced full GC would disturb
 * timings).
 */
final class MemoryProbe {
  private MemoryProbe() {}

  static BenchmarkResult.Memory measure(OperatorProcess operator, String label) throws Exception {
    if (operator.tracksNativeMemory()) {
      nativeMemorySummary(operator, label);
    }
    HeapSampler heap = operator.heap();
    long live = heap.liveHeapAfterFullGcKib(operator.pid());
    return new BenchmarkResult.Memory(
        label,
        heap.peakAfterGcKib(),
        live,
        heap.peakCommittedKib(),
        heap.metaspaceUsedKib(),
        operator.peakRssKib());
  }

  /**
   * Where the resident set goes, by the JVM's own account (jcmd VM.native_memory summary), when the
   * operator runs with -XX:NativeMemoryTracking: written beside the operator's log.
   */
  private static void nativeMemorySummary(OperatorProcess operator, String label)
      throws IOException, InterruptedException {
    Path out = Path.of("target/bench", "nmt-" + label.replace(' ', '-') + ".txt");
    Process jcmd =
        new ProcessBuilder(
                "jcmd", Long.toString(operator.pid()), "VM.native_memory", "summary", "scale=KB")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    jcmd.waitFor(30, TimeUnit.SECONDS);
  }
}
