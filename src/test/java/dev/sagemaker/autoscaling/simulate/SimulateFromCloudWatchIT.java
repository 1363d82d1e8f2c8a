package dev.sagemaker.autoscaling.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.aws.MetricHistory;
import dev.sagemaker.autoscaling.cli.Main;
import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * `simulate --from-cloudwatch` reads the endpoint's recorded metrics through GetMetricData (moto,
 * with datapoints this test puts) and replays them: the fleet totals come from one datapoint per
 * instance.
 */
@ExtendWith(TestEnvironment.class)
class SimulateFromCloudWatchIT {
  private static final int MINUTES = 60;

  @Test
  void replaysTheEndpointsOwnMetricsReadThroughGetMetricData(@TempDir Path dir) throws Exception {
    TestEnvironment.resetMoto();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Instant from = now.minus(MINUTES, ChronoUnit.MINUTES);
    try (Moto moto = new Moto(TestEnvironment.motoEndpoint())) {
      // Two instances report per minute: 300 invocations each, then 1,500 each for the last 20
      // minutes. Memory at
      // 75 % each keeps the memory policy from agreeing to scale in, so both instances stay.
      List<MetricDatum> invocations = new ArrayList<>();
      List<MetricDatum> cpu = new ArrayList<>();
      List<MetricDatum> memory = new ArrayList<>();
      for (int m = 0; m < MINUTES; m++) {
        Instant t = from.plus(m, ChronoUnit.MINUTES);
        double perInstance = m < 40 ? 300 : 1500;
        for (int instance = 0; instance < 2; instance++) {
          invocations.add(datum("Invocations", t, perInstance));
          cpu.add(datum("CPUUtilization", t, perInstance * 0.04));
          memory.add(datum("MemoryUtilization", t, 75));
        }
      }
      put(moto, "AWS/SageMaker", invocations);
      put(moto, "/aws/sagemaker/Endpoints", cpu);
      put(moto, "/aws/sagemaker/Endpoints", memory);

      DesiredState seed = Replays.example("realtime-seed.yaml");
      List<MetricHistory.Series> series =
          TraceSources.forPlan(seed).stream()
              .map(
                  s ->
                      new MetricHistory.Series(
                          s.column(), s.namespace(), s.metricName(), s.dimensions(), s.statistic()))
              .toList();
      Map<String, Map<Instant, Double>> read =
          new MetricHistory(moto.cloudWatch).read(series, from, now);
      assertThat(read.keySet())
          .containsExactly("Invocations", "CPUUtilization", "MemoryUtilization");
      assertThat(read.get("Invocations"))
          .hasSize(MINUTES)
          .containsEntry(from, 600.0)
          .containsEntry(from.plus(45, ChronoUnit.MINUTES), 3000.0);
      assertThat(read.get("MemoryUtilization")).containsEntry(from, 150.0);

      SimulationResult result =
          Simulator.run(
              seed,
              Trace.fromSeries(from, MINUTES, read),
              new Simulator.Settings(5, OptionalInt.of(2), null));
      // 3,000 a minute over two instances is 1,500 each: AlarmHigh after 3 minutes, ceil(2 × 1500 /
      // 1000) = 3.
      assertThat(result.desired()[41]).isEqualTo(2);
      assertThat(result.desired()[42]).isEqualTo(3);
      assertThat(result.action()[42])
          .startsWith("requests: InvocationsPerInstance 1500 > 1000 for 3 min");
    }

    // The same through the command line, credentials and region from the SDK's system properties.
    Path saved = dir.resolve("trace.csv");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] keys = {"aws.accessKeyId", "aws.secretAccessKey"};
    String[] previous = {System.getProperty(keys[0]), System.getProperty(keys[1])};
    System.setProperty(keys[0], "testing");
    System.setProperty(keys[1], "testing");
    int exit;
    try {
      CommandLine cli = new CommandLine(new Main());
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      exit =
          cli.execute(
              "simulate",
              "-f",
              "examples/realtime-seed.yaml",
              "--from-cloudwatch",
              "--since",
              "1h",
              "--region",
              Moto.REGION,
              "--endpoint-url",
              TestEnvironment.motoEndpoint().toString(),
              "--initial-capacity",
              "2",
              "--provisioning-delay",
              "5m",
              "--save-trace",
              saved.toString());
    } finally {
      for (int i = 0; i < keys.length; i++) {
        if (previous[i] == null) {
          System.clearProperty(keys[i]);
        } else {
          System.setProperty(keys[i], previous[i]);
        }
      }
    }
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains(
            "requests: InvocationsPerInstance 1500 > 1000 for 3 min, ceil(2 × 1500 / 1000) = 3");
    List<String> lines = Files.readAllLines(saved);
    assertThat(lines.get(0)).isEqualTo("timestamp,Invocations,CPUUtilization,MemoryUtilization");
    assertThat(lines).hasSizeGreaterThanOrEqualTo(MINUTES);
  }

  private static MetricDatum datum(String name, Instant t, double value) {
    List<Dimension> dimensions =
        List.of(
            Dimension.builder().name("EndpointName").value("recommender-prod").build(),
            Dimension.builder().name("VariantName").value("prod").build());
    return MetricDatum.builder()
        .metricName(name)
        .dimensions(dimensions)
        .timestamp(t)
        .value(value)
        .build();
  }

  private static void put(Moto moto, String namespace, List<MetricDatum> data) {
    // PutMetricData takes up to 1,000 datapoints per request.
    for (int i = 0; i < data.size(); i += 500) {
      List<MetricDatum> chunk = data.subList(i, Math.min(data.size(), i + 500));
      moto.cloudWatch.putMetricData(r -> r.namespace(namespace).metricData(chunk));
    }
  }
}
