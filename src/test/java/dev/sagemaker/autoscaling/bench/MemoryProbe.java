package dev.sagemaker.autoscaling.bench;

/**
 * The operator JVM's memory figures, taken once its work is done (the forced full GC would disturb
 * timings).
 */
final class MemoryProbe {
  private MemoryProbe() {}

  static BenchmarkResult.Memory measure(OperatorProcess operator, String label) throws Exception {
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
}
