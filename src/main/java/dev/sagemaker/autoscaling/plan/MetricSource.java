package dev.sagemaker.autoscaling.plan;

import java.util.List;

/** Where a policy or alarm reads its metric from. */
public sealed interface MetricSource {

  /** An Application Auto Scaling predefined metric (target tracking only). */
  record Predefined(String type) implements MetricSource {}

  /** One CloudWatch metric with a statistic. */
  record CloudWatch(
      String namespace, String name, List<Dimension> dimensions, String statistic, String unit)
      implements MetricSource {
    public CloudWatch {
      dimensions = List.copyOf(dimensions);
    }
  }

  /** Metric math: the query with returnData true is the result. */
  record MetricMath(List<Query> queries) implements MetricSource {
    public MetricMath {
      queries = List.copyOf(queries);
    }
  }

  /**
   * One query of a metric-math source: an expression, or a metric with its statistic. An unset
   * returnData means false here (the spec leaves it unset on every query but the result), so it is
   * sent to AWS explicitly and reads back equal.
   */
  record Query(String id, String expression, CloudWatch metric, String label, Boolean returnData) {
    public Query {
      returnData = Boolean.TRUE.equals(returnData);
    }
  }

  record Dimension(String name, String value) {}
}
