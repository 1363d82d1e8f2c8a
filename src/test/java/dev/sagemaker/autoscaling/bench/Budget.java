package dev.sagemaker.autoscaling.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The budget lines of issue 6, judged against measured figures. */
final class Budget {
  static final int BUDGET_N = 1000;
  static final double MAX_STEADY_READS_PER_RESOURCE = 2;
  static final double MAX_SPEC_CHANGE_P99_SECONDS = 3;
  static final double MAX_RESTART_SECONDS = 60;
  static final long MAX_RSS_MIB = 256;

  /**
   * Per-resource cost counts as flat when the largest N costs at most this much more than the
   * smallest.
   */
  static final double FLATNESS_TOLERANCE = 0.05;

  enum Verdict {
    MET,
    MISSED,
    NOT_MEASURED
  }

  record Line(Verdict verdict, String budget, String measured) {
    String markdown() {
      String mark =
          switch (verdict) {
            case MET -> "met";
            case MISSED -> "**missed**";
            case NOT_MEASURED -> "not measured";
          };
      return "- " + mark + ": " + budget + " — " + measured;
    }
  }

  private Budget() {}

  static List<Line> judge(BenchmarkResult r) {
    List<Line> lines = new ArrayList<>();
    int n = r.setup().n();
    var c = r.convergence();
    long needed = (long) r.setup().neededWritesPerResource() * n;
    lines.add(
        c == null || !c.complete()
            ? notMeasured(
                "writes while converging = exactly what the spec needs",
                "convergence did not finish")
            : line(
                c.operatorCalls().writes() == needed,
                "writes while converging = exactly what the spec needs ("
                    + r.setup().neededWritesPerResource()
                    + " per resource: 1 register + 1 per policy + 1 per alarm + 1 per schedule)",
                c.operatorCalls().writes()
                    + " writes for "
                    + needed
                    + " needed (proxy saw "
                    + c.proxyCalls().writes()
                    + ")"));

    var s = r.steadyState();
    if (s == null || s.resynced() == 0) {
      lines.add(
          notMeasured(
              "steady-state resync: 0 writes, at most 2 reads per resource", "no resync window"));
    } else {
      double reads = (double) s.operatorCalls().reads() / s.resynced();
      lines.add(
          line(
              s.operatorCalls().writes() == 0 && reads <= MAX_STEADY_READS_PER_RESOURCE,
              "steady-state resync: 0 writes, at most 2 reads per resource",
              String.format(
                  "%d writes, %.2f reads per resource (%d resources resynced%s)",
                  s.operatorCalls().writes(),
                  reads,
                  s.resynced(),
                  s.complete() ? "" : " of " + n)));
    }

    var sc = r.specChange();
    if (sc == null || sc.latencySeconds().isEmpty()) {
      lines.add(notMeasured("spec change to AWS: p99 under 3 s", "no change was observed in AWS"));
    } else {
      boolean allSeen = sc.latencySeconds().size() == sc.samples();
      lines.add(
          line(
              allSeen && sc.percentile(0.99) < MAX_SPEC_CHANGE_P99_SECONDS,
              "spec change to AWS: p99 under 3 s",
              String.format(
                  "p99 %.2f s over %d changes%s",
                  sc.percentile(0.99),
                  sc.latencySeconds().size(),
                  allSeen
                      ? ""
                      : " ("
                          + (sc.samples() - sc.latencySeconds().size())
                          + " of "
                          + sc.samples()
                          + " not seen within 30 s)")));
    }

    var rs = r.restart();
    lines.add(
        rs == null
            ? notMeasured("restart to all verified: under 60 s, 0 writes", "no restart")
            : line(
                rs.complete()
                    && rs.seconds() < MAX_RESTART_SECONDS
                    && rs.operatorCalls().writes() == 0,
                "restart to all verified: under 60 s, 0 writes",
                String.format(
                    "%s in %.1f s, %d writes",
                    rs.complete()
                        ? "all " + n + " verified"
                        : rs.verified() + " of " + n + " verified",
                    rs.seconds(),
                    rs.operatorCalls().writes())));

    long rss =
        r.memory() == null
            ? -1
            : r.memory().stream().mapToLong(BenchmarkResult.Memory::peakRssKib).max().orElse(-1);
    lines.add(
        rss < 0
            ? notMeasured("operator RSS under 256 MiB with the chart's JVM flags", "not read")
            : line(
                rss / 1024.0 < MAX_RSS_MIB,
                "operator RSS under 256 MiB with the chart's JVM flags",
                String.format("peak %.0f MiB", rss / 1024.0)));
    return lines;
  }

  /**
   * Calls per resource must not grow with N: converging and steady-state, smallest N against
   * largest.
   */
  static List<Line> judgeFlatness(List<BenchmarkResult> byN) {
    List<BenchmarkResult> measured =
        byN.stream().filter(r -> r.convergence() != null && r.convergence().complete()).toList();
    if (measured.size() < 2) {
      return List.of(
          notMeasured(
              "cost per resource flat from N = 10 to N = 1000", "fewer than two complete runs"));
    }
    BenchmarkResult small = measured.get(0);
    BenchmarkResult large = measured.get(measured.size() - 1);
    double convergeSmall =
        perResource(small.convergence().operatorCalls().total(), small.setup().n());
    double convergeLarge =
        perResource(large.convergence().operatorCalls().total(), large.setup().n());
    Double steadySmall = steadyPerResource(small);
    Double steadyLarge = steadyPerResource(large);
    boolean flat =
        convergeLarge <= convergeSmall * (1 + FLATNESS_TOLERANCE)
            && (steadySmall == null
                || steadyLarge == null
                || steadyLarge <= steadySmall * (1 + FLATNESS_TOLERANCE));
    String range =
        "N = "
            + small.setup().n()
            + " to N = "
            + large.setup().n()
            + (large.setup().n() < BUDGET_N ? " (N = 1000 not measured)" : "");
    return List.of(
        line(
            flat,
            "cost per resource flat from N = 10 to N = 1000",
            String.format(
                "%s: converging %.2f -> %.2f calls per resource, steady resync %s -> %s",
                range, convergeSmall, convergeLarge, format(steadySmall), format(steadyLarge))));
  }

  private static Double steadyPerResource(BenchmarkResult r) {
    var s = r.steadyState();
    return s == null || s.resynced() == 0
        ? null
        : perResource(s.operatorCalls().total(), s.resynced());
  }

  private static String format(Double value) {
    return value == null ? "n/a" : String.format("%.2f", value);
  }

  static double perResource(long calls, long resources) {
    return resources == 0 ? Double.NaN : (double) calls / resources;
  }

  private static Line line(boolean met, String budget, String measured) {
    return new Line(met ? Verdict.MET : Verdict.MISSED, budget, Objects.requireNonNull(measured));
  }

  private static Line notMeasured(String budget, String why) {
    return new Line(Verdict.NOT_MEASURED, budget, why);
  }
}
