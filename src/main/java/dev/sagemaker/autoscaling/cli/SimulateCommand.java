package dev.sagemaker.autoscaling.cli;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.MetricHistory;
import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.Plan;
import dev.sagemaker.autoscaling.plan.SpecProblem;
import dev.sagemaker.autoscaling.simulate.Comparison;
import dev.sagemaker.autoscaling.simulate.Report;
import dev.sagemaker.autoscaling.simulate.SimulationResult;
import dev.sagemaker.autoscaling.simulate.Simulator;
import dev.sagemaker.autoscaling.simulate.SvgChart;
import dev.sagemaker.autoscaling.simulate.Trace;
import dev.sagemaker.autoscaling.simulate.TraceSources;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Replays a load trace through the policies a manifest would create, offline, and reports capacity,
 * cost and overload.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Replay a per-minute trace of total load through the scaling a manifest creates, as"
          + " Application Auto Scaling and CloudWatch would act on it, and print the capacity"
          + " timeline and a summary. Offline unless --from-cloudwatch.",
      "The trace is CSV: timestamp, then one column per metric summed over the fleet (Invocations,"
          + " CPUUtilization, MemoryUtilization, ApproximateBacklogSize, or a custom metric name)."
    })
public final class SimulateCommand implements Callable<Integer> {
  enum Output {
    text,
    json,
    csv
  }

  private static final Pattern DURATION = Pattern.compile("^(\\d+)\\s*([smhd]?)$");

  @Option(
      names = {"-f", "--filename"},
      required = true,
      description = "Manifest with a SageMakerScalingPolicy (the first one is replayed).")
  Path file;

  @Option(names = "--trace", description = "CSV trace of total load per minute.")
  Path trace;

  @Option(
      names = "--from-cloudwatch",
      description =
          "Read the endpoint's own metrics through CloudWatch GetMetricData instead of --trace.")
  boolean fromCloudWatch;

  @Option(
      names = "--since",
      defaultValue = "7d",
      description =
          "With --from-cloudwatch: how far back to read, e.g. 7d, 12h (default ${DEFAULT-VALUE};"
              + " one-minute data is kept 15 days).")
  String since;

  @Option(
      names = "--region",
      description = "With --from-cloudwatch: the AWS region (default: the SDK's usual sources).")
  String region;

  @Option(
      names = "--endpoint-url",
      description = "With --from-cloudwatch: a CloudWatch endpoint, e.g. a local emulator.")
  URI endpointUrl;

  @Option(
      names = "--save-trace",
      description = "With --from-cloudwatch: also write the trace read to this CSV file.")
  Path saveTrace;

  @Option(
      names = "--compare",
      description =
          "A second manifest replayed on the same trace; prints both summaries and the"
              + " differences.")
  Path compare;

  @Option(
      names = "--price-per-instance-hour",
      description = "Price of one instance (copy) hour, for the cost in the summary.")
  Double price;

  @Option(
      names = "--provisioning-delay",
      defaultValue = "6m",
      description =
          "Time from a scale-out until new capacity serves load (default ${DEFAULT-VALUE}).")
  String provisioningDelay;

  @Option(
      names = "--initial-capacity",
      description = "Capacity at the first minute (default: the minimum).")
  Integer initialCapacity;

  @Option(
      names = "--svg",
      description = "Write a chart of load and capacity over time to this SVG file.")
  Path svg;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      description = "text (events and summary), csv (every minute) or json (both).")
  Output output;

  @Mixin ManifestPlanning planning;

  @Spec CommandSpec spec;

  /** The clock --since counts back from; tests replace it. */
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if ((trace == null) == !fromCloudWatch) {
        err.println("give exactly one of --trace FILE and --from-cloudwatch");
        return 2;
      }
      Simulator.Settings settings =
          new Simulator.Settings(
              (int) minutes(provisioningDelay, "--provisioning-delay"),
              initialCapacity == null ? OptionalInt.empty() : OptionalInt.of(initialCapacity),
              price);
      Optional<DesiredState> plan = plan(file, err);
      if (plan.isEmpty()) {
        return 1;
      }
      Trace load =
          fromCloudWatch
              ? readCloudWatch(plan.get())
              : Trace.parseCsv(Files.readString(trace, StandardCharsets.UTF_8));
      SimulationResult result = Simulator.run(plan.get(), load, settings);
      if (svg != null) {
        Files.writeString(
            svg,
            SvgChart.render(result, "Replay of " + file.getFileName() + " on " + traceName()),
            StandardCharsets.UTF_8);
      }
      if (compare != null) {
        Optional<DesiredState> other = plan(compare, err);
        if (other.isEmpty()) {
          return 1;
        }
        SimulationResult second = Simulator.run(other.get(), load, settings);
        String a = file.toString();
        String b = compare.toString();
        out.print(
            switch (output) {
              case text ->
                  "Same trace ("
                      + load.minutes()
                      + " minutes from "
                      + load.start()
                      + "), two policies:\n"
                      + Comparison.text(a, result.summary(), b, second.summary());
              case json -> Comparison.json(a, result.summary(), b, second.summary()) + "\n";
              case csv -> Comparison.csv(a, result.summary(), b, second.summary());
            });
      } else {
        out.print(
            switch (output) {
              case text -> Report.text(result);
              case json -> Report.json(result) + "\n";
              case csv -> Report.csv(result);
            });
      }
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    }
  }

  private String traceName() {
    return trace != null ? trace.getFileName().toString() : "CloudWatch, last " + since;
  }

  private Trace readCloudWatch(DesiredState plan) throws Exception {
    Instant to = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    long minutes = minutes(since, "--since");
    if (minutes <= 0 || minutes > 15 * 1440) {
      throw new IllegalArgumentException(
          "--since must be between 1 minute and 15 days (CloudWatch keeps one-minute data for 15"
              + " days)");
    }
    Instant from = to.minus(Duration.ofMinutes(minutes));
    List<TraceSources.Source> sources = TraceSources.forPlan(plan);
    if (sources.isEmpty()) {
      throw new IllegalArgumentException(
          "none of the manifest's metrics can be read from CloudWatch");
    }
    List<MetricHistory.Series> series =
        sources.stream()
            .map(
                s ->
                    new MetricHistory.Series(
                        s.column(), s.namespace(), s.metricName(), s.dimensions(), s.statistic()))
            .toList();
    Map<String, Map<Instant, Double>> read;
    try (MetricHistory history =
        MetricHistory.connect(Optional.ofNullable(region), Optional.ofNullable(endpointUrl))) {
      read = history.read(series, from, to);
    }
    Map<String, Map<Instant, Double>> ordered = new LinkedHashMap<>(read);
    Trace result = Trace.fromSeries(from, (int) minutes, ordered);
    if (saveTrace != null) {
      Files.writeString(saveTrace, result.toCsv(), StandardCharsets.UTF_8);
    }
    return result;
  }

  /** The first SageMakerScalingPolicy of the manifest, planned; its problems go to {@code err}. */
  private Optional<DesiredState> plan(Path manifest, PrintWriter err) throws Exception {
    List<SageMakerScalingPolicy> resources = ManifestPlanning.read(manifest);
    if (resources.isEmpty()) {
      err.println(manifest + ": no SageMakerScalingPolicy document found");
      err.flush();
      return Optional.empty();
    }
    ManifestPlanning.Planned planned = planning.plan(resources.get(0));
    if (planned.plan() instanceof Plan.Valid valid) {
      return Optional.of(valid.desired());
    }
    for (SpecProblem problem : ((Plan.Invalid) planned.plan()).problems()) {
      err.println(manifest + ": " + planned.name() + ": " + problem);
    }
    err.flush();
    return Optional.empty();
  }

  /** "6m", "90s" (rounded up to whole minutes), "2h", "7d", or a bare number of minutes. */
  static long minutes(String text, String option) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          option + ": expected a duration like 90s, 6m, 2h or 7d, got " + text);
    }
    long value = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> (value + 59) / 60;
      case "h" -> value * 60;
      case "d" -> value * 1440;
      default -> value;
    };
  }
}
