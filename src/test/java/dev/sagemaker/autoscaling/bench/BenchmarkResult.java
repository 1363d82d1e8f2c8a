package dev.sagemaker.autoscaling.bench;

import java.util.List;

/**
 * Everything one run for one N measured, stored as JSON next to its Markdown so the combined report
 * can be rebuilt from runs made at different times. A phase that did not run is null; one that
 * timed out has {@code complete = false} and reports how far it got.
 */
record BenchmarkResult(
    Setup setup,
    Convergence convergence,
    SteadyState firstResync,
    SteadyState steadyState,
    SpecChange specChange,
    Restart restart,
    Deletion deletion,
    List<Memory> memory,
    List<String> notes) {

  /** What was run, on what. */
  record Setup(
      int n,
      int namespaces,
      String measuredAt,
      String commit,
      int cores,
      List<String> jvmFlags,
      String resyncPeriod,
      String reconcileThreads,
      int neededWritesPerResource,
      String fleet) {}

  /**
   * Operator start to every resource Ready at its current generation; the AWS calls that took.
   * {@code passes} counts completed passes (the operator's smsp_reconcile count): N when every
   * resource converged in one pass and none was resynced or retried before the last one was Ready.
   * {@code machineBusySeconds} is what every process on the machine used meanwhile, of {@code
   * cores} times {@code seconds} (null in results from before they were measured).
   */
  record Convergence(
      boolean complete,
      long ready,
      long passes,
      double seconds,
      double firstAwsCallSeconds,
      AwsCallCounts operatorCalls,
      AwsCallCounts proxyCalls,
      Double cpuSeconds,
      Double machineBusySeconds,
      Integer cores) {}

  /**
   * One resync of every resource. {@code firstResync} is the one right after converging, which
   * finds the states CloudWatch gave the alarms after the creating passes and records them once;
   * {@code steadyState} is the next one, with nothing left to change. Each window starts at a quiet
   * moment and ends when the operator has completed N passes in it (by its own count: each resource
   * is passed once per period); {@code passes} counts them.
   */
  record SteadyState(
      boolean complete,
      boolean startedQuiet,
      long resynced,
      long passes,
      double windowSeconds,
      AwsCallCounts operatorCalls,
      AwsCallCounts proxyCalls,
      Double cpuSeconds,
      Long apiServerWrites,
      FullScrape fullScrape) {}

  /**
   * What one whole /metrics page costs the operator, as Prometheus takes it (the benchmark itself
   * polls only the metrics it reads): CPU seconds per scrape over a few in a row, after the steady
   * window, and the samples on the page.
   */
  record FullScrape(double cpuSeconds, long samples) {}

  /**
   * targetValue edited on a sample of resources, one after another; seconds until the
   * PutScalingPolicy carrying it completed.
   */
  record SpecChange(int samples, List<Double> latencySeconds) {
    double percentile(double p) {
      List<Double> sorted = latencySeconds.stream().sorted().toList();
      if (sorted.isEmpty()) {
        return Double.NaN;
      }
      // Nearest rank: the smallest value with at least p of the samples at or below it.
      int rank = (int) Math.ceil(p * sorted.size());
      return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }
  }

  /**
   * A new operator JVM after the first one stopped: until it has completed N passes and every
   * resource is Ready at its current generation.
   */
  record Restart(
      boolean complete,
      long verified,
      long passes,
      double seconds,
      double firstAwsCallSeconds,
      AwsCallCounts operatorCalls,
      AwsCallCounts proxyCalls) {}

  /**
   * Every resource deleted at once (one delete per namespace), until the API server has none left:
   * the time, the AWS calls the cleanup made, and the operator's and the whole machine's CPU time
   * meanwhile (the machine's null in results from before it was measured).
   */
  record Deletion(
      boolean complete,
      long remaining,
      double seconds,
      AwsCallCounts operatorCalls,
      AwsCallCounts proxyCalls,
      Double cpuSeconds,
      Double machineBusySeconds,
      Integer cores) {}

  /** One operator JVM's memory, in KiB; -1 where it could not be read. */
  record Memory(
      String jvm,
      long peakHeapAfterGcKib,
      long liveHeapAfterFullGcKib,
      long peakCommittedHeapKib,
      long metaspaceUsedKib,
      long peakRssKib) {}
}
