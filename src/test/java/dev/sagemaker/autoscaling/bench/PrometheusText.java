package dev.sagemaker.autoscaling.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the operator's own AWS call counter out of its /metrics page (Prometheus text format). */
final class PrometheusText {
  private static final String COUNTER = "smsp_aws_calls_total";
  private static final Pattern SAMPLE = Pattern.compile("^" + COUNTER + "\\{(.*)}\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PrometheusText() {}

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
