package dev.sagemaker.autoscaling.simulate;

import java.util.List;

/**
 * The per-minute timeline of a replay and its summary. Arrays are indexed by minute of the trace;
 * {@code metricValues[i]} belongs to {@code metricLabels.get(i)}; {@code action[m]} is null when
 * nothing changed the capacity in minute m, and {@code reason[m]} then says why.
 */
public record SimulationResult(
    String resource,
    Trace trace,
    String loadColumn,
    List<String> metricLabels,
    double[][] metricValues,
    int[] desired,
    int[] inService,
    int[] minCapacity,
    int[] maxCapacity,
    String[] action,
    String[] reason,
    List<String> notes,
    Summary summary) {

  public int minutes() {
    return desired.length;
  }

  public double load(int minute) {
    int column = trace.column(loadColumn);
    return column < 0 ? Double.NaN : trace.value(column, minute);
  }
}
