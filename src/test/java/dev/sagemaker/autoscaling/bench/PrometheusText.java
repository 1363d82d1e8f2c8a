package dev.sagemaker.autoscaling.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the operator's own counters out of its /metrics page (Prometheus text format): AWS calls,
 * and passes (the count of the smsp_reconcile timer).
 */
final class PrometheusText {
  private static final String COUNTER = "smsp_aws_calls_total";
  private static final Pattern SAMPLE = Pattern.compile("^" + COUNTER + "\\{(.*)}\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private static final Pattern PASSES =
      Pattern.compile("^smsp_reconcile_seconds_count\\{.*}\\s+(\\S+)$");

  private PrometheusText() {}

  /**
   * Passes the operator completed, whatever their outcome (smsp_reconcile_seconds_count summed):
   * the status no longer changes on every pass, so the API server cannot count them.
   */
  static long passes(String page) {
    long passes = 0;
    for (String line : page.split("\n")) {
      Matcher sample = PASSES.matcher(line.trim());
      if (sample.matches()) {
        passes += (long) Double.parseDouble(sample.group(1));
      }
    }
    return passes;
  }

  /** smsp_aws_calls_total{service,operation,outcome}, summed over outcomes. */
  static AwsCallCounts awsCalls(String page) {
    Map<String, Long> counts = new HashMap<>();
    for (String line : page.split("\n")) {
      Matcher sample = SAMPLE.matcher(line.trim());
      if (!sample.matches()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      Matcher label = LABEL.matcher(sample.group(1));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      long value = (long) Double.parseDouble(sample.group(2));
      counts.merge(
          AwsCallCounts.key(labels.get("service"), labels.get("operation")), value, Long::sum);
    }
    return new AwsCallCounts(counts);
  }
}
