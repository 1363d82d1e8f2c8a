package dev.sagemaker.autoscaling.bench;

import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/** Markdown for one run (results-N.md) and for all runs side by side (results.md). */
final class ResultsReport {
  private ResultsReport() {}

  static String forRun(BenchmarkResult r) {
    var s = r.setup();
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark, N = ")
        .append(s.n())
        .append(ResultsFiles.isSeed(s) ? "" : ", " + s.fleet() + " only")
        .append(incomplete(r) ? " (PARTIAL)" : "")
        .append("\n\n");
    md.append(setupParagraph(s)).append("\n\n");
    md.append("| measure | value |\n|---|---|\n");
    summaryRows(r)
        .forEach(row -> md.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n"));
    md.append("\n## AWS calls by service and operation\n\n");
    md.append("Counted by the operator (smsp_aws_calls_total); per resource in brackets.\n\n");
    md.append(callTable(r));
    md.append("\n## Budget (issue 6)\n\n");
    if (s.n() != Budget.BUDGET_N) {
      md.append("The budget is set for N = 1000; at N = ")
          .append(s.n())
          .append(" the verdicts are indicative.\n\n");
    }
    Budget.judge(r).forEach(line -> md.append(line.markdown()).append("\n"));
    md.append("\n## Budget (issue 15)\n\n");
    Budget.judgeLean(r).forEach(line -> md.append(line.markdown()).append("\n"));
    if (!r.notes().isEmpty()) {
      md.append("\n## Notes\n\n");
      r.notes().forEach(note -> md.append("- ").append(note).append("\n"));
    }
    return md.toString();
  }

  static String combined(List<BenchmarkResult> runs) {
    StringBuilder md = new StringBuilder("# Benchmark results\n\n");
    md.append("One column per N; each links to its own file with calls by operation and notes. ")
        .append("How to run and what is measured: [README.md](README.md).\n\n");
    md.append("| measure |");
    runs.forEach(
        r ->
            md.append(" [N = ")
                .append(r.setup().n())
                .append(ResultsFiles.isSeed(r.setup()) ? "" : ", " + r.setup().fleet() + " only")
                .append("](")
                .append(ResultsFiles.baseName(r.setup()))
                .append(".md)")
                .append(incomplete(r) ? " (partial)" : "")
                .append(" |"));
    md.append("\n|---|").append("---|".repeat(runs.size())).append("\n");
    List<List<String[]>> rows = runs.stream().map(ResultsReport::summaryRows).toList();
    for (int i = 0; i < rows.get(0).size(); i++) {
      md.append("| ").append(rows.get(0).get(i)[0]).append(" |");
      for (List<String[]> run : rows) {
        md.append(" ").append(run.get(i)[1]).append(" |");
      }
      md.append("\n");
    }
    // The budget is set for the seed's full stack: judge it on those runs only.
    List<BenchmarkResult> seedRuns =
        runs.stream().filter(r -> ResultsFiles.isSeed(r.setup())).toList();
    BenchmarkResult largest =
        seedRuns.isEmpty() ? runs.get(runs.size() - 1) : seedRuns.get(seedRuns.size() - 1);
    md.append("\n## Budget (issue 6), judged at N = ").append(largest.setup().n()).append("\n\n");
    Budget.judge(largest).forEach(line -> md.append(line.markdown()).append("\n"));
    Budget.judgeFlatness(seedRuns).forEach(line -> md.append(line.markdown()).append("\n"));
    md.append("\n## Budget (issue 15), per run\n\n");
    for (BenchmarkResult r : runs) {
      List<Budget.Line> lean = Budget.judgeLean(r);
      if (!lean.isEmpty()) {
        md.append("N = ")
            .append(r.setup().n())
            .append(ResultsFiles.isSeed(r.setup()) ? ", seed stack" : ", " + r.setup().fleet())
            .append(":\n\n");
        lean.forEach(line -> md.append(line.markdown()).append("\n"));
        md.append("\n");
      }
    }
    md.append("\n").append(setupParagraph(largest.setup())).append("\n");
    return md.toString();
  }

  private static boolean incomplete(BenchmarkResult r) {
    return r.convergence() == null
        || !r.convergence().complete()
        || r.steadyState() == null
        || !r.steadyState().complete()
        || r.specChange() == null
        || r.specChange().latencySeconds().size() < r.specChange().samples()
        || r.restart() == null
        || !r.restart().complete()
        || r.deletion() != null && !r.deletion().complete();
  }

  private static String setupParagraph(BenchmarkResult.Setup s) {
    return "Measured "
        + s.measuredAt()
        + " at commit "
        + s.commit()
        + " on "
        + s.cores()
        + " cores shared by the API server, etcd, "
        + "moto and the benchmark itself; "
        + s.n()
        + " "
        + variant(s).description
        + " over "
        + s.namespaces()
        + " namespaces, each on its own moto endpoint. Operator: its own JVM, `java "
        + String.join(" ", s.jvmFlags())
        + " -jar target/sagemaker-autoscaling-operator.jar` (the chart's javaToolOptions; MaxRAM"
        + " stands for the chart's container memory limit), RESYNC_PERIOD="
        + s.resyncPeriod()
        + ", RECONCILE_THREADS="
        + s.reconcileThreads()
        + ", leader election on as the chart ships it, AWS through a counting proxy in front of"
        + " moto.";
  }

  private static String firstResync(BenchmarkResult.SteadyState f, int n) {
    if (f == null) {
      return "not run";
    }
    long resynced = Math.max(1, f.resynced());
    return perResource(f.operatorCalls(), resynced)
        + (f.apiServerWrites() == null
            ? ""
            : String.format(
                "; API-server writes %d (%.2f per resource)",
                f.apiServerWrites(), (double) f.apiServerWrites() / resynced))
        + String.format(" (%d of %d resynced)", f.resynced(), n);
  }

  private static Fleet.Variant variant(BenchmarkResult.Setup s) {
    return ResultsFiles.isSeed(s) ? Fleet.Variant.SEED : Fleet.Variant.of(s.fleet());
  }

  /** {measure, value} pairs, the same rows for every run so runs line up in the combined table. */
  static List<String[]> summaryRows(BenchmarkResult r) {
    int n = r.setup().n();
    var c = r.convergence();
    var s = r.steadyState();
    var sc = r.specChange();
    var rs = r.restart();
    var d = r.deletion();
    return List.of(
        row(
            "time until all N Ready (from JVM start)",
            c == null
                ? "not run"
                : String.format(
                    "%.1f s%s (first AWS call at %.1f s)",
                    c.seconds(),
                    c.complete() ? "" : ", only " + c.ready() + " of " + n + " Ready",
                    c.firstAwsCallSeconds())),
        row(
            "AWS calls while converging, total",
            c == null
                ? "not run"
                : String.format(
                    "%d (proxy %d; %d passes for %d resources)",
                    c.operatorCalls().total(), c.proxyCalls().total(), c.passes(), n)),
        row(
            "AWS calls while converging, per resource",
            c == null ? "not run" : perResource(c.operatorCalls(), n)),
        row("needed writes per resource", Integer.toString(r.setup().neededWritesPerResource())),
        row(
            "operator CPU until all Ready (from JVM start)",
            c == null || c.cpuSeconds() == null
                ? "not measured"
                : String.format(
                    "%.1f s (%.3f s per resource)", c.cpuSeconds(), c.cpuSeconds() / n)),
        row(
            "whole machine's CPU until all Ready (API server, etcd, moto, operator, benchmark)",
            c == null || c.machineBusySeconds() == null
                ? "not measured"
                : String.format(
                    "%.1f of %.1f core-seconds (%d cores)",
                    c.machineBusySeconds(), c.cores() * c.seconds(), c.cores())),
        row(
            "first resync after converging, per resource (alarm states recorded once)",
            firstResync(r.firstResync(), n)),
        row(
            "steady-state resync, per resource",
            s == null
                ? "not run"
                : perResource(s.operatorCalls(), Math.max(1, s.resynced()))
                    + String.format(
                        " (window %.0f s, %d of %d resynced, %d passes seen%s)",
                        s.windowSeconds(),
                        s.resynced(),
                        n,
                        s.passes(),
                        s.startedQuiet() ? "" : ", started mid-pass")),
        row(
            "operator CPU per steady resync",
            s == null || s.cpuSeconds() == null
                ? "not measured"
                : String.format(
                    "%.2f s (%.4f s per resource)",
                    s.cpuSeconds(), s.cpuSeconds() / Math.max(1, s.resynced()))),
        row(
            "one whole /metrics page, as Prometheus scrapes it",
            s == null || s.fullScrape() == null
                ? "not measured"
                : String.format(
                    "%.2f s of operator CPU (%d samples)",
                    s.fullScrape().cpuSeconds(), s.fullScrape().samples())),
        row(
            "API-server writes per steady resync (watch events)",
            s == null || s.apiServerWrites() == null
                ? "not measured"
                : String.format(
                    "%d (%.2f per resource)",
                    s.apiServerWrites(), (double) s.apiServerWrites() / Math.max(1, s.resynced()))),
        row(
            "spec change to PutScalingPolicy, p50 / p99",
            sc == null || sc.latencySeconds().isEmpty()
                ? "not measured"
                : String.format(
                    "%.2f s / %.2f s (%d of %d changes, max %.2f s)",
                    sc.percentile(0.5),
                    sc.percentile(0.99),
                    sc.latencySeconds().size(),
                    sc.samples(),
                    sc.percentile(1.0))),
        row(
            "restart until all verified",
            rs == null
                ? "not run"
                : String.format(
                    "%.1f s%s (first AWS call at %.1f s)",
                    rs.seconds(),
                    rs.complete() ? "" : ", only " + rs.verified() + " of " + n,
                    rs.firstAwsCallSeconds())),
        row(
            "AWS calls after restart, per resource",
            rs == null
                ? "not run"
                : perResource(rs.operatorCalls(), n) + String.format(" (%d passes)", rs.passes())),
        row(
            "deleting all N, until the API server has none",
            d == null
                ? "not run"
                : String.format(
                    "%.1f s%s",
                    d.seconds(), d.complete() ? "" : ", " + d.remaining() + " of " + n + " left")),
        row(
            "AWS calls deleting, per resource",
            d == null
                ? "not run"
                : perResource(d.operatorCalls(), n)
                    + String.format(" (proxy: %d writes)", d.proxyCalls().writes())),
        row(
            "operator CPU while deleting",
            d == null || d.cpuSeconds() == null
                ? "not measured"
                : String.format("%.1f s", d.cpuSeconds())
                    + (d.machineBusySeconds() == null
                        ? ""
                        : String.format(
                            " (whole machine: %.1f of %.1f core-seconds)",
                            d.machineBusySeconds(), d.cores() * d.seconds()))),
        row(
            "peak heap after GC / live heap after full GC",
            memory(r, m -> mib(m.peakHeapAfterGcKib()) + " / " + mib(m.liveHeapAfterFullGcKib()))),
        row("peak RSS (VmHWM)", memory(r, m -> mib(m.peakRssKib()))),
        row(
            "peak committed heap / metaspace used",
            memory(r, m -> mib(m.peakCommittedHeapKib()) + " / " + mib(m.metaspaceUsedKib()))));
  }

  private static String[] row(String measure, String value) {
    return new String[] {measure, value};
  }

  private static String perResource(AwsCallCounts calls, long resources) {
    return String.format(
        "%.2f (reads %.2f, writes %.2f)",
        (double) calls.total() / resources,
        (double) calls.reads() / resources,
        (double) calls.writes() / resources);
  }

  private static String memory(BenchmarkResult r, Function<BenchmarkResult.Memory, String> figure) {
    if (r.memory() == null || r.memory().isEmpty()) {
      return "not measured";
    }
    return String.join(
        "; ", r.memory().stream().map(m -> m.jvm() + " " + figure.apply(m)).toList());
  }

  private static String mib(long kib) {
    return kib < 0 ? "n/a" : String.format("%.0f MiB", kib / 1024.0);
  }

  private static String callTable(BenchmarkResult r) {
    int n = r.setup().n();
    var c = r.convergence();
    var s = r.steadyState();
    var rs = r.restart();
    var d = r.deletion();
    TreeSet<String> calls = new TreeSet<>();
    for (AwsCallCounts counts :
        new AwsCallCounts[] {
          calls(c == null ? null : c.operatorCalls()),
          calls(s == null ? null : s.operatorCalls()),
          calls(rs == null ? null : rs.operatorCalls()),
          calls(d == null ? null : d.operatorCalls())
        }) {
      calls.addAll(counts.byCall().keySet());
    }
    long resynced = s == null ? 0 : Math.max(1, s.resynced());
    StringBuilder md =
        new StringBuilder(
            "| service | operation | converging | steady resync | after restart | deleting |\n"
                + "|---|---|---|---|---|---|\n");
    for (String call : calls) {
      String[] parts = call.split(" ", 2);
      md.append("| ")
          .append(parts[0])
          .append(" | ")
          .append(parts[1])
          .append(" | ")
          .append(cell(c == null ? null : c.operatorCalls().get(call), n))
          .append(" | ")
          .append(cell(s == null ? null : s.operatorCalls().get(call), resynced))
          .append(" | ")
          .append(cell(rs == null ? null : rs.operatorCalls().get(call), n))
          .append(" | ")
          .append(cell(d == null ? null : d.operatorCalls().get(call), n))
          .append(" |\n");
    }
    md.append("| **total** | operator | ")
        .append(cell(c == null ? null : c.operatorCalls().total(), n))
        .append(" | ")
        .append(cell(s == null ? null : s.operatorCalls().total(), resynced))
        .append(" | ")
        .append(cell(rs == null ? null : rs.operatorCalls().total(), n))
        .append(" | ")
        .append(cell(d == null ? null : d.operatorCalls().total(), n))
        .append(" |\n");
    md.append("| **total** | counting proxy | ")
        .append(cell(c == null ? null : c.proxyCalls().total(), n))
        .append(" | ")
        .append(cell(s == null ? null : s.proxyCalls().total(), resynced))
        .append(" | ")
        .append(cell(rs == null ? null : rs.proxyCalls().total(), n))
        .append(" | ")
        .append(cell(d == null ? null : d.proxyCalls().total(), n))
        .append(" |\n");
    return md.toString();
  }

  private static AwsCallCounts calls(AwsCallCounts counts) {
    return counts == null ? AwsCallCounts.NONE : counts;
  }

  private static String cell(Long count, long resources) {
    return count == null ? "–" : String.format("%d (%.2f)", count, (double) count / resources);
  }
}
