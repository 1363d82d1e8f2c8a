package dev.sagemaker.autoscaling.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a replay as text (events and summary), CSV (every minute) or JSON (both). */
public final class Report {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private Report() {}

  /** The minutes where something happened, then the summary. */
  public static String text(SimulationResult result) {
    StringBuilder s = new StringBuilder();
    s.append("Replay of ")
        .append(result.resource())
        .append(": ")
        .append(result.minutes())
        .append(" minutes from ")
        .append(CLOCK.format(result.trace().start()))
        .append(" UTC\n");
    notes(s, result);
    s.append(
        "\n"
            + "Scaling timeline (minutes where capacity or bounds changed; -o csv lists every"
            + " minute):\n");
    String row = "  %-16s %" + Math.max(12, result.loadColumn().length()) + "s %8s %10s  %s%n";
    s.append(
        String.format(
            Locale.ROOT,
            row,
            "time (UTC)",
            result.loadColumn(),
            "desired",
            "in service",
            "what acted"));
    for (int m = 0; m < result.minutes(); m++) {
      int servingBefore = m == 0 ? result.inService()[0] : result.inService()[m - 1];
      boolean served = result.inService()[m] != servingBefore;
      if (result.action()[m] == null && !served) {
        continue;
      }
      String what =
          result.action()[m] != null
              ? result.action()[m]
              : result.inService()[m] > servingBefore
                  ? "launched capacity now serves load"
                  : "removed capacity no longer serves load";
      s.append(
          String.format(
              Locale.ROOT,
              row,
              CLOCK.format(result.trace().time(m)),
              Numbers.format(result.load(m)),
              result.desired()[m],
              result.inService()[m],
              what));
    }
    s.append('\n').append(summaryText(result.summary()));
    return s.toString();
  }

  private static void notes(StringBuilder s, SimulationResult result) {
    s.append("Model (approximations of what AWS keeps private, see docs/simulate.md):\n");
    Simulator.APPROXIMATIONS.forEach(a -> s.append("  - ").append(a).append('\n'));
    if (!result.notes().isEmpty()) {
      s.append("Notes for this replay:\n");
      result.notes().forEach(n -> s.append("  - ").append(n).append('\n'));
    }
  }

  public static String summaryText(Summary summary) {
    StringBuilder s = new StringBuilder("Summary:\n");
    for (String[] row : summaryRows(summary)) {
      s.append(String.format(Locale.ROOT, "  %-40s %s%n", row[0], row[1]));
    }
    return s.toString();
  }

  /** Label and value of every summary line, in the order text and comparison print them. */
  static List<String[]> summaryRows(Summary summary) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          summary.capacityUnit() + "-hours", Numbers.format(round(summary.capacityHours(), 2))
        });
    if (summary.cost() != null) {
      rows.add(new String[] {"cost", Numbers.format(round(summary.cost(), 2))});
    }
    rows.add(new String[] {"peak capacity", Integer.toString(summary.peakCapacity())});
    for (Map.Entry<String, Double> e : summary.peakMetric().entrySet()) {
      rows.add(new String[] {"peak " + e.getKey(), Numbers.format(round(e.getValue(), 2))});
    }
    for (Map.Entry<String, Integer> e : summary.minutesAboveTarget().entrySet()) {
      rows.add(
          new String[] {"minutes above target: " + e.getKey(), Integer.toString(e.getValue())});
    }
    rows.add(
        new String[] {
          "scaling actions (out / in)",
          summary.scalingActions() + " (" + summary.scaleOuts() + " / " + summary.scaleIns() + ")"
        });
    rows.add(
        new String[] {"scheduled actions fired", Integer.toString(summary.scheduledActions())});
    rows.add(new String[] {"minutes at maximum", Integer.toString(summary.minutesAtMax())});
    rows.add(
        new String[] {
          "minutes with load and no capacity", Integer.toString(summary.minutesWithoutCapacity())
        });
    return rows;
  }

  /**
   * Every minute: time, each trace column, each policy metric, capacity, bounds, what acted or why
   * not.
   */
  public static String csv(SimulationResult result) {
    StringBuilder s = new StringBuilder("timestamp");
    result.trace().columns().forEach(c -> s.append(',').append(c));
    result.metricLabels().forEach(l -> s.append(',').append(l));
    s.append(",desired,in_service,min,max,action,reason\n");
    for (int m = 0; m < result.minutes(); m++) {
      s.append(result.trace().time(m));
      for (int c = 0; c < result.trace().columns().size(); c++) {
        s.append(',').append(Numbers.format(result.trace().value(c, m)));
      }
      for (double[] metric : result.metricValues()) {
        s.append(',').append(Numbers.format(metric[m]));
      }
      s.append(',')
          .append(result.desired()[m])
          .append(',')
          .append(result.inService()[m])
          .append(',')
          .append(result.minCapacity()[m])
          .append(',')
          .append(result.maxCapacity()[m])
          .append(',')
          .append(quote(result.action()[m]))
          .append(',')
          .append(quote(result.reason()[m]))
          .append('\n');
    }
    return s.toString();
  }

  public static String json(SimulationResult result) {
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("resource", result.resource());
    root.put("start", result.trace().start().toString());
    root.put("minutes", result.minutes());
    ArrayNode approximations = root.putArray("approximations");
    Simulator.APPROXIMATIONS.forEach(approximations::add);
    ArrayNode notes = root.putArray("notes");
    result.notes().forEach(notes::add);
    root.set("summary", mapper.valueToTree(result.summary()));
    ArrayNode timeline = root.putArray("timeline");
    for (int m = 0; m < result.minutes(); m++) {
      ObjectNode minute = timeline.addObject();
      minute.put("time", result.trace().time(m).toString());
      ObjectNode load = minute.putObject("load");
      for (int c = 0; c < result.trace().columns().size(); c++) {
        putNumber(load, result.trace().columns().get(c), result.trace().value(c, m));
      }
      ObjectNode metrics = minute.putObject("metrics");
      for (int i = 0; i < result.metricLabels().size(); i++) {
        putNumber(metrics, result.metricLabels().get(i), result.metricValues()[i][m]);
      }
      minute.put("desired", result.desired()[m]);
      minute.put("inService", result.inService()[m]);
      minute.put("min", result.minCapacity()[m]);
      minute.put("max", result.maxCapacity()[m]);
      if (result.action()[m] != null) {
        minute.put("action", result.action()[m]);
      } else {
        minute.put("reason", result.reason()[m]);
      }
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putNumber(ObjectNode node, String name, double value) {
    if (Double.isNaN(value)) {
      node.putNull(name);
    } else {
      node.put(name, round(value, 4));
    }
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  private static String quote(String text) {
    if (text == null) {
      return "";
    }
    return "\"" + text.replace("\"", "\"\"") + "\"";
  }
}
