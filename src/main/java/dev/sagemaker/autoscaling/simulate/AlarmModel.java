package dev.sagemaker.autoscaling.simulate;

import java.util.Locale;

/**
 * One CloudWatch metric alarm: per-minute readings are aggregated into datapoints of the alarm's
 * period with its statistic, and the alarm is evaluated when a period closes ("M out of N": {@code
 * datapointsToAlarm} breaching datapoints among the last {@code evaluationPeriods}). Missing data
 * follows TreatMissingData as the CloudWatch user guide describes it ("Configuring how CloudWatch
 * alarms treat missing data"), simplified as docs/simulate.md states.
 */
final class AlarmModel {
  enum State {
    OK,
    ALARM,
    INSUFFICIENT_DATA
  }

  enum Comparison {
    GreaterThanOrEqualToThreshold(">="),
    GreaterThanThreshold(">"),
    LessThanThreshold("<"),
    LessThanOrEqualToThreshold("<=");

    final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    boolean breaches(double value, double threshold) {
      return switch (this) {
        case GreaterThanOrEqualToThreshold -> value >= threshold;
        case GreaterThanThreshold -> value > threshold;
        case LessThanThreshold -> value < threshold;
        case LessThanOrEqualToThreshold -> value <= threshold;
      };
    }

    boolean upward() {
      return this == GreaterThanOrEqualToThreshold || this == GreaterThanThreshold;
    }
  }

  final String name;
  final MetricReader metric;
  final int metricColumn;
  final double threshold;
  final Comparison comparison;
  final int periodMinutes;
  final int evaluationPeriods;
  final int datapointsToAlarm;
  final String treatMissingData;
  final String statistic;

  private final double[] datapoints;
  private int stored;
  private int next;
  private double periodSum;
  private double periodMax = Double.NEGATIVE_INFINITY;
  private double periodMin = Double.POSITIVE_INFINITY;
  private int periodCount;
  private State state = State.INSUFFICIENT_DATA;

  AlarmModel(
      String name,
      MetricReader metric,
      int metricColumn,
      double threshold,
      Comparison comparison,
      int periodSeconds,
      int evaluationPeriods,
      int datapointsToAlarm,
      String treatMissingData,
      String statistic) {
    this.name = name;
    this.metric = metric;
    this.metricColumn = metricColumn;
    this.threshold = threshold;
    this.comparison = comparison;
    // Alarms of sub-minute (high-resolution) periods are evaluated on the trace's one-minute grid.
    this.periodMinutes = Math.max(1, (periodSeconds + 59) / 60);
    this.evaluationPeriods = evaluationPeriods;
    this.datapointsToAlarm = datapointsToAlarm;
    this.treatMissingData = treatMissingData == null ? "missing" : treatMissingData;
    this.statistic = statistic == null ? "Average" : statistic;
    this.datapoints = new double[evaluationPeriods];
  }

  State state() {
    return state;
  }

  /** Feeds one minute's reading; evaluates when the minute closes a period. */
  void observe(int minute, double reading) {
    if (!Double.isNaN(reading)) {
      periodSum += reading;
      periodMax = Math.max(periodMax, reading);
      periodMin = Math.min(periodMin, reading);
      periodCount++;
    }
    if ((minute + 1) % periodMinutes != 0) {
      return;
    }
    double datapoint =
        periodCount == 0
            ? Double.NaN
            : switch (statistic) {
              case "Sum" -> periodSum;
              case "Maximum" -> periodMax;
              case "Minimum" -> periodMin;
              case "SampleCount" -> periodCount;
              default -> periodSum / periodCount;
            };
    periodSum = 0;
    periodMax = Double.NEGATIVE_INFINITY;
    periodMin = Double.POSITIVE_INFINITY;
    periodCount = 0;
    datapoints[next] = datapoint;
    next = (next + 1) % evaluationPeriods;
    stored = Math.min(stored + 1, evaluationPeriods);
    state = evaluate();
  }

  private State evaluate() {
    int present = 0;
    int breaching = 0;
    for (int i = 0; i < evaluationPeriods; i++) {
      double value = i < stored ? datapoints[i] : Double.NaN;
      if (Double.isNaN(value)) {
        if (treatMissingData.equals("breaching")) {
          breaching++;
          present++;
        } else if (treatMissingData.equals("notBreaching")) {
          present++;
        }
        continue;
      }
      present++;
      if (comparison.breaches(value, threshold)) {
        breaching++;
      }
    }
    if (breaching >= datapointsToAlarm) {
      return State.ALARM;
    }
    if (present == 0) {
      return treatMissingData.equals("ignore") ? state : State.INSUFFICIENT_DATA;
    }
    return State.OK;
  }

  /** The newest datapoint, NaN if it is missing. */
  double latest() {
    return stored == 0
        ? Double.NaN
        : datapoints[(next - 1 + evaluationPeriods) % evaluationPeriods];
  }

  /**
   * The datapoints of the evaluation window aggregated as a step policy's MetricAggregationType.
   */
  double aggregate(String aggregation) {
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    int count = 0;
    for (int i = 0; i < stored; i++) {
      double value = datapoints[i];
      if (!Double.isNaN(value)) {
        sum += value;
        max = Math.max(max, value);
        min = Math.min(min, value);
        count++;
      }
    }
    if (count == 0) {
      return Double.NaN;
    }
    return switch (aggregation == null ? "Average" : aggregation) {
      case "Maximum" -> max;
      case "Minimum" -> min;
      default -> sum / count;
    };
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "%s %s %s in %d of %d periods of %d min",
        metric.label(),
        comparison.symbol,
        Numbers.format(threshold),
        datapointsToAlarm,
        evaluationPeriods,
        periodMinutes);
  }
}
