package dev.sagemaker.autoscaling.simulate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Total load on the fleet, one row per minute: each column is one metric summed over every instance
 * (Invocations, CPUUtilization, ApproximateBacklogSize, or a custom metric name). A missing value
 * is NaN, which the alarms see as a missing datapoint.
 */
public final class Trace {
  private final Instant start;
  private final List<String> columns;
  private final double[][] values;

  /** values[column][minute]; every column has the same length. */
  public Trace(Instant start, List<String> columns, double[][] values) {
    if (columns.size() != values.length) {
      throw new IllegalArgumentException("one value array per column");
    }
    int minutes = values.length == 0 ? 0 : values[0].length;
    for (double[] column : values) {
      if (column.length != minutes) {
        throw new IllegalArgumentException("every column needs one value per minute");
      }
    }
    this.start = start.truncatedTo(ChronoUnit.MINUTES);
    this.columns = List.copyOf(columns);
    this.values = values;
  }

  public Instant start() {
    return start;
  }

  public int minutes() {
    return values.length == 0 ? 0 : values[0].length;
  }

  public List<String> columns() {
    return columns;
  }

  public Instant time(int minute) {
    return start.plusSeconds(60L * minute);
  }

  /** Index of a column, or -1. */
  public int column(String name) {
    return columns.indexOf(name);
  }

  public double value(int column, int minute) {
    return values[column][minute];
  }

  /**
   * Parses {@code timestamp,<metric>,<metric>...}. Timestamps are ISO-8601 (with an offset, or UTC
   * when none is given) on whole minutes, ascending; minutes the file skips are missing data.
   */
  public static Trace parseCsv(String text) {
    List<String> lines =
        text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(
          "the trace is empty: it needs a header line timestamp,<metric>,...");
    }
    String[] header = lines.get(0).split(",", -1);
    if (header.length < 2) {
      throw new IllegalArgumentException(
          "the header needs a timestamp column and at least one metric column");
    }
    List<String> columns = new ArrayList<>();
    for (int i = 1; i < header.length; i++) {
      String name = header[i].strip();
      if (name.isEmpty() || columns.contains(name)) {
        throw new IllegalArgumentException(
            "column " + (i + 1) + " of the header is empty or repeated");
      }
      columns.add(name);
    }
    if (lines.size() < 2) {
      throw new IllegalArgumentException("the trace has a header but no rows");
    }
    Instant first = null;
    Instant previous = null;
    List<double[]> rows = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",", -1);
      int lineNumber = i + 1;
      if (cells.length != header.length) {
        throw new IllegalArgumentException(
            "line " + lineNumber + " has " + cells.length + " cells, the header " + header.length);
      }
      Instant time = parseTime(cells[0].strip(), lineNumber);
      if (previous != null && !time.isAfter(previous)) {
        throw new IllegalArgumentException("line " + lineNumber + ": timestamps must be ascending");
      }
      if (first == null) {
        first = time;
      }
      previous = time;
      double[] row = new double[columns.size()];
      for (int c = 0; c < columns.size(); c++) {
        String cell = cells[c + 1].strip();
        try {
          row[c] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "line " + lineNumber + ", column " + columns.get(c) + ": not a number: " + cell);
        }
        if (row[c] < 0) {
          throw new IllegalArgumentException(
              "line " + lineNumber + ", column " + columns.get(c) + ": load cannot be negative");
        }
      }
      rows.add(row);
      offsets.add(ChronoUnit.MINUTES.between(first, time));
    }
    long span = offsets.get(offsets.size() - 1) + 1;
    if (span > 60L * 24 * 62) {
      throw new IllegalArgumentException("the trace spans more than 62 days");
    }
    double[][] values = new double[columns.size()][(int) span];
    for (double[] column : values) {
      Arrays.fill(column, Double.NaN);
    }
    for (int r = 0; r < rows.size(); r++) {
      int minute = (int) (long) offsets.get(r);
      for (int c = 0; c < columns.size(); c++) {
        values[c][minute] = rows.get(r)[c];
      }
    }
    return new Trace(first, columns, values);
  }

  /**
   * A trace from per-minute series, e.g. read from CloudWatch; minutes without a value are missing.
   */
  public static Trace fromSeries(
      Instant start, int minutes, Map<String, ? extends Map<Instant, Double>> series) {
    Instant from = start.truncatedTo(ChronoUnit.MINUTES);
    List<String> columns = new ArrayList<>(series.keySet());
    double[][] values = new double[columns.size()][minutes];
    for (int c = 0; c < columns.size(); c++) {
      Arrays.fill(values[c], Double.NaN);
      NavigableMap<Instant, Double> sorted = new TreeMap<>(series.get(columns.get(c)));
      for (Map.Entry<Instant, Double> point : sorted.entrySet()) {
        long minute =
            ChronoUnit.MINUTES.between(from, point.getKey().truncatedTo(ChronoUnit.MINUTES));
        if (minute >= 0 && minute < minutes && point.getValue() != null) {
          values[c][(int) minute] = point.getValue();
        }
      }
    }
    return new Trace(from, columns, values);
  }

  public String toCsv() {
    StringBuilder s = new StringBuilder("timestamp");
    columns.forEach(c -> s.append(',').append(c));
    s.append('\n');
    for (int m = 0; m < minutes(); m++) {
      s.append(time(m));
      for (double[] column : values) {
        s.append(',');
        if (!Double.isNaN(column[m])) {
          s.append(Numbers.format(column[m]));
        }
      }
      s.append('\n');
    }
    return s.toString();
  }

  private static Instant parseTime(String cell, int lineNumber) {
    Instant time;
    try {
      time = OffsetDateTime.parse(cell).toInstant();
    } catch (DateTimeParseException e) {
      try {
        time = LocalDateTime.parse(cell).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(
            "line " + lineNumber + ": not an ISO-8601 timestamp: " + cell);
      }
    }
    if (time.getEpochSecond() % 60 != 0 || time.getNano() != 0) {
      throw new IllegalArgumentException(
          "line " + lineNumber + ": timestamps must fall on whole minutes: " + cell);
    }
    return time;
  }
}
