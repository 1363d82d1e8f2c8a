package dev.sagemaker.autoscaling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * `simulate` offline: the seed on the example traces, the chart, the comparison and the three
 * outputs.
 */
class SimulateCommandTest {
  private record Result(int exit, String out, String err) {}

  private static Result simulate(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SimulateCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void theSeedOnTheDiurnalTracePrintsItsTimelineAndSummaryAndDrawsAReadableChart(@TempDir Path dir)
      throws Exception {
    Path svg = dir.resolve("seed.svg");
    Result result =
        simulate(
            "-f",
            "examples/realtime-seed.yaml",
            "--trace",
            "examples/traces/diurnal.csv",
            "--price-per-instance-hour",
            "0.408",
            "--svg",
            svg.toString());
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .contains(
            "Replay of endpoint/recommender-prod/variant/prod: 1440 minutes from 2026-11-02 00:00"
                + " UTC")
        .contains(
            "scale out after 3 of 3 datapoints above the target, scale in after 15 of 15 below 90%"
                + " of it")
        .contains("requests: InvocationsPerInstance")
        .contains("instance-hours")
        .contains("minutes above target: requests")
        .contains("minutes at maximum");

    Document chart = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
    Element root = chart.getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("svg");
    assertThat(byId(chart, "chart-title").getTextContent())
        .isEqualTo("Replay of realtime-seed.yaml on diurnal.csv");
    // Both y axes and the time axis are labelled, with ticks.
    assertThat(texts(byId(chart, "y-axis-load")))
        .contains("Invocations per minute (fleet total)", "0");
    assertThat(texts(byId(chart, "y-axis-capacity"))).contains("instance capacity", "0", "3");
    assertThat(texts(byId(chart, "x-axis"))).contains("00:00", "12:00", "22:00", "time (UTC)");
    // The load series has one point per minute and stays inside the plot; capacity lines step at
    // each change.
    String[] points = byId(chart, "load").getAttribute("points").trim().split("\\s+");
    assertThat(points).hasSize(1440);
    for (String point : points) {
      double y = Double.parseDouble(point.split(",")[1]);
      assertThat(y).isBetween(50.0, 390.0);
    }
    assertThat(byId(chart, "desired").getAttribute("d"))
        .startsWith("M80.0,")
        .contains(" H")
        .contains(" V");
    assertThat(byId(chart, "in-service").getAttribute("d")).startsWith("M80.0,");
    assertThat(byId(chart, "max-capacity").getAttribute("stroke-dasharray")).isNotEmpty();
    NodeList actions = byId(chart, "actions").getElementsByTagName("line");
    assertThat(actions.getLength()).isPositive();
    assertThat(texts(byId(chart, "legend")))
        .contains("load: Invocations", "desired capacity", "in-service capacity");
  }

  @Test
  void compareReportsTheInstanceHourAndOverloadDifferenceOfACheaperVariant(@TempDir Path dir)
      throws Exception {
    Path cheaper = dir.resolve("cheaper.yaml");
    Files.writeString(
        cheaper,
        Files.readString(Path.of("examples/realtime-seed.yaml"))
            .replace("maxCapacity: 3", "maxCapacity: 2")
            .replace("targetValue: 1000", "targetValue: 1400"));
    Result result =
        simulate(
            "-f",
            "examples/realtime-seed.yaml",
            "--trace",
            "examples/traces/diurnal.csv",
            "--compare",
            cheaper.toString(),
            "--price-per-instance-hour",
            "0.408",
            "-o",
            "json");
    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(result.out());
    double seedHours = json.get("a").get("summary").get("capacityHours").asDouble();
    double cheaperHours = json.get("b").get("summary").get("capacityHours").asDouble();
    assertThat(cheaperHours).isLessThan(seedHours);
    assertThat(json.get("difference").get("instance-hours").asDouble())
        .isCloseTo(cheaperHours - seedHours, Offset.offset(1e-3));
    // Fewer instances at a higher target: the requests metric runs above the seed's 1,000 for
    // longer.
    assertThat(
            json.get("b").get("summary").get("peakMetric").get("InvocationsPerInstance").asDouble())
        .isGreaterThan(
            json.get("a")
                .get("summary")
                .get("peakMetric")
                .get("InvocationsPerInstance")
                .asDouble());
    assertThat(json.get("difference").has("minutes above target: requests")).isTrue();

    Result text =
        simulate(
            "-f",
            "examples/realtime-seed.yaml",
            "--trace",
            "examples/traces/diurnal.csv",
            "--compare",
            cheaper.toString());
    assertThat(text.out())
        .contains("instance-hours")
        .contains("difference")
        .containsPattern("instance-hours\\s+[0-9.]+\\s+[0-9.]+\\s+-[0-9.]+ \\(-[0-9]+%\\)");
  }

  @Test
  void csvListsEveryMinuteAndTheSpikeTraceShowsWhichPolicyAnsweredTheShortBurst() {
    Result result =
        simulate(
            "-f",
            "examples/realtime-seed.yaml",
            "--trace",
            "examples/traces/spike.csv",
            "-o",
            "csv");
    assertThat(result.exit()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "timestamp,Invocations,CPUUtilization,MemoryUtilization,InvocationsPerInstance,CPUUtilization,MemoryUtilization,desired,in_service,min,max,action,reason");
    assertThat(lines).hasSize(181);
    // The two-minute burst at 09:40 (5,000 a minute) is too short for target tracking's 3
    // datapoints. The seed's
    // cpu-steps alarm reads 5-minute periods (the CDK default) and needs 1 datapoint of 1: the
    // period 09:40-09:44
    // on one instance averages (300 + 300 + 35.7 + 37 + 37) / 5 = 141.94 % CPU, at least 100, so
    // when it closes
    // at 09:44 the step policy adds 2 at once.
    assertThat(lines.get(1 + 40)).startsWith("2026-11-02T09:40:00Z,5000,").contains(",1,1,1,3,,");
    assertThat(lines.get(1 + 41)).contains(",1,1,1,3,,");
    assertThat(lines.get(1 + 44))
        .startsWith("2026-11-02T09:44:00Z,")
        .contains(
            "\"cpu-steps_upper: alarm CPUUtilization >= 70 in 1 of 1 periods of 5 min (141.94),"
                + " step +2; capacity 1 -> 3\"");
    assertThat(lines.subList(1, 200 - 19))
        .noneMatch(l -> l.contains("\"requests: InvocationsPerInstance 5000"));
    // The 25-minute surge at 10:40 (2,500 a minute) is target tracking's: its 1-minute AlarmHigh
    // has 3 of 3 at
    // 10:42 and asks ceil(1 × 2500 / 1000) = 3. The step alarm's first surge period closes at 10:44
    // (150 % on the
    // one instance still serving, +2 from 3 desired) and finds the maximum, 3, already asked for.
    assertThat(lines.get(1 + 102))
        .contains(
            "\"requests: InvocationsPerInstance 2500 > 1000 for 3 min, ceil(1 × 2500 / 1000) = 3;"
                + " capacity 1 -> 3\"");
    assertThat(lines.get(1 + 103))
        .contains(
            "requests: above target, capacity launching already covers it (3 needed, 3 desired)");
    assertThat(lines.get(1 + 104))
        .contains("cpu-steps_upper would scale out to 5, but the maximum is 3");
  }

  @Test
  void theIdleNightScalesTheAsyncEndpointToZeroAndBackFromIt() {
    Result result =
        simulate(
            "-f",
            "examples/async-backlog.yaml",
            "--trace",
            "examples/traces/idle-night.csv",
            "--provisioning-delay",
            "8m");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .containsPattern(
            "backlog: ApproximateBacklogSizePerInstance 0 < 4.5 for 15 min, ceil\\(\\d × 0 / 5\\) ="
                + " 0; capacity \\d -> 0")
        .contains(
            "ScaleFromZero: alarm HasBacklogWithoutCapacity >= 1 in 2 of 2 periods of 1 min (1),"
                + " step +1; capacity 0 -> 1")
        .containsPattern("minutes with load and no capacity\\s+18\\b");
  }

  @Test
  void badInputIsReportedWithoutAStackTrace(@TempDir Path dir) throws Exception {
    assertThat(simulate("-f", "examples/realtime-seed.yaml").err())
        .contains("exactly one of --trace FILE and --from-cloudwatch");
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "timestamp,Invocations\n2026-11-02T00:00:30Z,5\n");
    Result result = simulate("-f", "examples/realtime-seed.yaml", "--trace", bad.toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("line 2: timestamps must fall on whole minutes");
    assertThat(
            simulate(
                    "-f",
                    "examples/realtime-seed.yaml",
                    "--trace",
                    "examples/traces/spike.csv",
                    "--provisioning-delay",
                    "soon")
                .err())
        .contains("--provisioning-delay: expected a duration like 90s, 6m, 2h or 7d");
  }

  private static Element byId(Document doc, String id) {
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (id.equals(e.getAttribute("id"))) {
        return e;
      }
    }
    throw new AssertionError("no element with id " + id);
  }

  private static List<String> texts(Element parent) {
    List<String> out = new ArrayList<>();
    NodeList texts = parent.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      out.add(texts.item(i).getTextContent());
    }
    return out;
  }
}
