package dev.sagemaker.autoscaling.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Two replays of the same trace, summary against summary, with the difference of each figure. */
public final class Comparison {
  private Comparison() {}

  /** Figures by name; both summaries share the names that exist in both. */
  static Map<String, Double> figures(Summary s) {
    Map<String, Double> f = new LinkedHashMap<>();
    f.put(s.capacityUnit() + "-hours", s.capacityHours());
    if (s.cost() != null) {
      f.put("cost", s.cost());
    }
    f.put("peak capacity", (double) s.peakCapacity());
    s.peakMetric().forEach((k, v) -> f.put("peak " + k, v));
    s.minutesAboveTarget().forEach((k, v) -> f.put("minutes above target: " + k, (double) v));
    f.put("scaling actions", (double) s.scalingActions());
    f.put("scheduled actions fired", (double) s.scheduledActions());
    f.put("minutes at maximum", (double) s.minutesAtMax());
    f.put("minutes with load and no capacity", (double) s.minutesWithoutCapacity());
    return f;
  }

  public static String text(String nameA, Summary a, String nameB, Summary b) {
    Map<String, Double> fa = figures(a);
    Map<String, Double> fb = figures(b);
    Set<String> names = new LinkedHashSet<>(fa.keySet());
    names.addAll(fb.keySet());
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%-40s %16s %16s %16s%n",
            "",
            shorten(nameA),
            shorten(nameB),
            "difference"));
    for (String name : names) {
      Double va = fa.get(name);
      Double vb = fb.get(name);
      String diff =
          va == null || vb == null
              ? ""
              : signed(Report.round(vb - va, 2))
                  + (va != 0 ? String.format(Locale.ROOT, " (%+.0f%%)", (vb - va) / va * 100) : "");
      s.append(
          String.format(Locale.ROOT, "%-40s %16s %16s %16s%n", name, value(va), value(vb), diff));
    }
    return s.toString();
  }

  public static String json(String nameA, Summary a, String nameB, Summary b) {
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.set(
        "a",
        mapper.createObjectNode().put("manifest", nameA).set("summary", mapper.valueToTree(a)));
    root.set(
        "b",
        mapper.createObjectNode().put("manifest", nameB).set("summary", mapper.valueToTree(b)));
    ObjectNode diff = root.putObject("difference");
    Map<String, Double> fb = figures(b);
    figures(a)
        .forEach(
            (k, v) -> {
              if (fb.containsKey(k)) {
                diff.put(k, Report.round(fb.get(k) - v, 4));
              }
            });
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String csv(String nameA, Summary a, String nameB, Summary b) {
    Map<String, Double> fa = figures(a);
    Map<String, Double> fb = figures(b);
    Set<String> names = new LinkedHashSet<>(fa.keySet());
    names.addAll(fb.keySet());
    StringBuilder s = new StringBuilder("figure,\"" + nameA + "\",\"" + nameB + "\",difference\n");
    for (String name : names) {
      Double va = fa.get(name);
      Double vb = fb.get(name);
      s.append('"')
          .append(name)
          .append("\",")
          .append(value(va))
          .append(',')
          .append(value(vb))
          .append(',')
          .append(va == null || vb == null ? "" : Numbers.format(Report.round(vb - va, 4)))
          .append('\n');
    }
    return s.toString();
  }

  private static String value(Double v) {
    return v == null ? "" : Numbers.format(Report.round(v, 2));
  }

  private static String signed(double v) {
    return (v > 0 ? "+" : "") + Numbers.format(v);
  }

  private static String shorten(String name) {
    String file = name.replaceAll(".*/", "").replaceAll("\\.ya?ml$", "");
    return file.length() > 16 ? file.substring(0, 15) + "…" : file;
  }
}
