package dev.sagemaker.autoscaling.simulate;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Load and capacity over time as a self-contained SVG, written by hand: the load on the left axis,
 * desired and in-service capacity and the maximum on the right axis, scaling actions as ticks.
 */
public final class SvgChart {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 460;
  private static final int LEFT = 80;
  private static final int RIGHT = 70;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final int PLOT_W = WIDTH - LEFT - RIGHT;
  private static final int PLOT_H = HEIGHT - TOP - BOTTOM;

  private SvgChart() {}

  public static String render(SimulationResult result, String title) {
    int minutes = result.minutes();
    double loadMax = 0;
    for (int m = 0; m < minutes; m++) {
      double v = result.load(m);
      if (!Double.isNaN(v)) {
        loadMax = Math.max(loadMax, v);
      }
    }
    double loadTop = niceCeiling(loadMax);
    int capacityMax = 1;
    for (int m = 0; m < minutes; m++) {
      capacityMax =
          Math.max(
              capacityMax,
              Math.max(
                  result.maxCapacity()[m], Math.max(result.desired()[m], result.inService()[m])));
    }
    int capacityTop = capacityMax + 1;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT));
    s.append("<title>").append(escape(title)).append("</title>\n");
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    s.append(
        String.format(
            Locale.ROOT,
            "<text id=\"chart-title\" x=\"%d\" y=\"28\" font-size=\"16\""
                + " font-weight=\"bold\">%s</text>%n",
            LEFT,
            escape(title)));

    // Horizontal grid and the two y axes.
    s.append("<g id=\"y-axis-load\" fill=\"#1f77b4\">\n");
    s.append(line(LEFT, TOP, LEFT, TOP + PLOT_H, "#333"));
    for (int i = 0; i <= 5; i++) {
      double value = loadTop * i / 5;
      double y = TOP + PLOT_H - PLOT_H * i / 5.0;
      s.append(line(LEFT, y, LEFT + PLOT_W, y, "#e5e5e5"));
      s.append(
          String.format(
              Locale.ROOT,
              "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              LEFT - 6,
              y + 4,
              Numbers.format(value)));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text class=\"axis-label\" transform=\"translate(18,%d) rotate(-90)\""
                + " text-anchor=\"middle\">%s per minute (fleet total)</text>%n",
            TOP + PLOT_H / 2,
            escape(result.loadColumn())));
    s.append("</g>\n");
    s.append("<g id=\"y-axis-capacity\" fill=\"#d62728\">\n");
    s.append(line(LEFT + PLOT_W, TOP, LEFT + PLOT_W, TOP + PLOT_H, "#333"));
    int step = Math.max(1, (int) Math.ceil(capacityTop / 8.0));
    for (int c = 0; c <= capacityTop; c += step) {
      double y = capacityY(c, capacityTop);
      s.append(
          String.format(
              Locale.ROOT,
              "<text class=\"tick\" x=\"%d\" y=\"%.1f\">%d</text>%n",
              LEFT + PLOT_W + 6,
              y + 4,
              c));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text class=\"axis-label\" transform=\"translate(%d,%d) rotate(90)\""
                + " text-anchor=\"middle\">%s capacity</text>%n",
            WIDTH - 18,
            TOP + PLOT_H / 2,
            escape(result.summary().capacityUnit())));
    s.append("</g>\n");

    // Time axis: ticks every hour for a day, every 6 hours up to three days, every day beyond.
    s.append("<g id=\"x-axis\">\n");
    s.append(line(LEFT, TOP + PLOT_H, LEFT + PLOT_W, TOP + PLOT_H, "#333"));
    int tickMinutes = minutes <= 360 ? 30 : minutes <= 1440 ? 120 : minutes <= 4320 ? 360 : 1440;
    DateTimeFormatter format =
        DateTimeFormatter.ofPattern(
                tickMinutes >= 1440 ? "MMM d" : minutes > 1440 ? "MMM d HH:mm" : "HH:mm")
            .withZone(ZoneOffset.UTC)
            .withLocale(Locale.ROOT);
    Instant start = result.trace().start();
    long firstTick =
        Math.floorMod(-Duration.between(Instant.EPOCH, start).toMinutes(), tickMinutes);
    for (long m = firstTick; m < minutes; m += tickMinutes) {
      double x = x(m, minutes);
      s.append(line(x, TOP + PLOT_H, x, TOP + PLOT_H + 5, "#333"));
      s.append(
          String.format(
              Locale.ROOT,
              "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
              x,
              TOP + PLOT_H + 18,
              format.format(start.plusSeconds(60 * m))));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">time"
                + " (UTC)</text>%n",
            LEFT + PLOT_W / 2,
            TOP + PLOT_H + 38));
    s.append("</g>\n");

    // Load: one point per minute, or the largest value per pixel column for long traces.
    s.append(
        "<polyline id=\"load\" class=\"series\" fill=\"none\" stroke=\"#1f77b4\""
            + " stroke-width=\"1.2\" points=\"");
    int buckets = Math.min(minutes, PLOT_W * 2);
    for (int b = 0; b < buckets; b++) {
      int from = (int) ((long) b * minutes / buckets);
      int to = (int) ((long) (b + 1) * minutes / buckets);
      double value = Double.NaN;
      for (int m = from; m < Math.max(to, from + 1); m++) {
        double v = result.load(m);
        if (!Double.isNaN(v) && (Double.isNaN(value) || v > value)) {
          value = v;
        }
      }
      if (Double.isNaN(value)) {
        continue;
      }
      double y = TOP + PLOT_H - (loadTop == 0 ? 0 : value / loadTop * PLOT_H);
      s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(from, minutes), y));
    }
    s.append("\"/>\n");
    s.append(stepPath("max-capacity", result.maxCapacity(), capacityTop, "#7f7f7f", "6 4", 1.2));
    s.append(stepPath("desired", result.desired(), capacityTop, "#d62728", null, 2.2));
    s.append(stepPath("in-service", result.inService(), capacityTop, "#2ca02c", "3 2", 1.8));

    s.append("<g id=\"actions\" stroke=\"#9467bd\">\n");
    for (int m = 0; m < minutes; m++) {
      if (result.action()[m] != null) {
        double x = x(m, minutes);
        s.append(
            String.format(
                Locale.ROOT,
                "<line class=\"action\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\""
                    + " y2=\"%d\"><title>%s</title></line>%n",
                x,
                TOP + PLOT_H,
                x,
                TOP + PLOT_H - 8,
                escape(result.action()[m])));
      }
    }
    s.append("</g>\n");

    s.append("<g id=\"legend\">\n");
    String[][] entries = {
      {"#1f77b4", "load: " + result.loadColumn(), null},
      {"#d62728", "desired capacity", null},
      {"#2ca02c", "in-service capacity", "3 2"},
      {"#7f7f7f", "maximum capacity", "6 4"},
      {"#9467bd", "scaling action", null}
    };
    int lx = LEFT;
    for (String[] e : entries) {
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                  + " stroke-width=\"2\"%s/>%n",
              lx,
              HEIGHT - 14,
              lx + 20,
              HEIGHT - 14,
              e[0],
              e[2] == null ? "" : " stroke-dasharray=\"" + e[2] + "\""));
      s.append(
          String.format(
              Locale.ROOT,
              "<text class=\"legend-entry\" x=\"%d\" y=\"%d\">%s</text>%n",
              lx + 25,
              HEIGHT - 10,
              escape(e[1])));
      lx += 40 + e[1].length() * 7;
    }
    s.append("</g>\n</svg>\n");
    return s.toString();
  }

  private static String stepPath(
      String id, int[] values, int capacityTop, String color, String dash, double width) {
    int minutes = values.length;
    StringBuilder d = new StringBuilder();
    d.append(
        String.format(Locale.ROOT, "M%.1f,%.1f", x(0, minutes), capacityY(values[0], capacityTop)));
    for (int m = 1; m < minutes; m++) {
      if (values[m] != values[m - 1]) {
        d.append(
            String.format(
                Locale.ROOT, " H%.1f V%.1f", x(m, minutes), capacityY(values[m], capacityTop)));
      }
    }
    d.append(String.format(Locale.ROOT, " H%.1f", x(minutes, minutes)));
    return String.format(
        Locale.ROOT,
        "<path id=\"%s\" class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s"
            + " d=\"%s\"/>%n",
        id,
        color,
        width,
        dash == null ? "" : " stroke-dasharray=\"" + dash + "\"",
        d);
  }

  private static double x(long minute, int minutes) {
    return LEFT + (double) PLOT_W * minute / Math.max(1, minutes);
  }

  private static double capacityY(int capacity, int capacityTop) {
    return TOP + PLOT_H - (double) PLOT_H * capacity / capacityTop;
  }

  private static String line(double x1, double y1, double x2, double y2, String color) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
        x1,
        y1,
        x2,
        y2,
        color);
  }

  /** 1, 2 or 5 times a power of ten, at least the value. */
  static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double f : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (f * power >= value) {
        return f * power;
      }
    }
    return 10 * power;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
