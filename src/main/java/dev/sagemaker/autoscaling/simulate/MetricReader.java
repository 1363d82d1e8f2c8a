package dev.sagemaker.autoscaling.simulate;

import dev.sagemaker.autoscaling.plan.MetricSource;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one policy or alarm metric is derived from the trace each minute. Per-instance (per-copy)
 * metrics are the fleet total divided by the capacity in service at that minute: this is the
 * feedback loop that lets added capacity lower the metric.
 *
 * @param label the metric's name as CloudWatch shows it
 * @param column the trace column it is computed from
 * @param kind how the column becomes the metric
 * @param divisor further division (per core or per GPU metric math), 1 otherwise
 */
public record MetricReader(String label, String column, Kind kind, double divisor) {

  public enum Kind {
    /** Fleet total ÷ capacity in service; no datapoint while nothing is in service. */
    PER_CAPACITY,
    /** Replayed as recorded: the metric does not change with capacity. */
    AS_RECORDED,
    /** SageMaker's HasBacklogWithoutCapacity: 1 while requests queue and no instance serves. */
    BACKLOG_WITHOUT_CAPACITY,
    /** NoCapacityInvocationFailures: every invocation fails while no copy serves. */
    FAILURES_WITHOUT_CAPACITY,
    /** A metric the simulator cannot derive: always missing. */
    UNSUPPORTED
  }

  private static final Pattern DIVIDED =
      Pattern.compile("^\\s*(\\w+)\\s*/\\s*([0-9]+(?:\\.[0-9]+)?)\\s*$");
  private static final String ENDPOINT_INSTANCE_NAMESPACE = "/aws/sagemaker/Endpoints";
  private static final String SAGEMAKER_NAMESPACE = "AWS/SageMaker";

  /** Reads this metric at one minute; NaN means no datapoint. */
  public double read(Trace trace, int columnIndex, int minute, int inService) {
    if (kind == Kind.UNSUPPORTED || columnIndex < 0) {
      return Double.NaN;
    }
    double total = trace.value(columnIndex, minute);
    if (Double.isNaN(total)) {
      return Double.NaN;
    }
    return switch (kind) {
      case PER_CAPACITY -> inService == 0 ? Double.NaN : total / inService / divisor;
      case AS_RECORDED -> total;
      case BACKLOG_WITHOUT_CAPACITY -> inService == 0 && total > 0 ? 1 : 0;
      case FAILURES_WITHOUT_CAPACITY -> inService == 0 ? total : 0;
      case UNSUPPORTED -> Double.NaN;
    };
  }

  /** The reader for a metric source of the plan. */
  public static MetricReader of(MetricSource source) {
    if (source instanceof MetricSource.Predefined predefined) {
      return switch (predefined.type()) {
        case "SageMakerVariantInvocationsPerInstance" ->
            perCapacity("InvocationsPerInstance", "Invocations");
        case "SageMakerInferenceComponentInvocationsPerCopy" ->
            perCapacity("InvocationsPerCopy", "Invocations");
        case "SageMakerVariantConcurrentRequestsPerModelHighResolution" ->
            perCapacity("ConcurrentRequestsPerModel", "ConcurrentRequests");
        case "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution" ->
            perCapacity("ConcurrentRequestsPerCopy", "ConcurrentRequests");
        case "SageMakerVariantProvisionedConcurrencyUtilization" ->
            perCapacity("ProvisionedConcurrencyUtilization", "ConcurrentRequests");
        default -> new MetricReader(predefined.type(), predefined.type(), Kind.UNSUPPORTED, 1);
      };
    }
    if (source instanceof MetricSource.CloudWatch cw) {
      return ofCloudWatch(cw);
    }
    if (source instanceof MetricSource.MetricMath math) {
      return ofMath(math.queries());
    }
    throw new IllegalArgumentException("unknown metric source " + source);
  }

  private static MetricReader ofCloudWatch(MetricSource.CloudWatch cw) {
    if (ENDPOINT_INSTANCE_NAMESPACE.equals(cw.namespace())) {
      return perCapacity(cw.name(), cw.name());
    }
    if (SAGEMAKER_NAMESPACE.equals(cw.namespace())) {
      switch (cw.name()) {
        case "InvocationsPerInstance":
        case "InvocationsPerCopy":
          return perCapacity(cw.name(), "Invocations");
        case "ApproximateBacklogSizePerInstance":
          return perCapacity(cw.name(), "ApproximateBacklogSize");
        case "HasBacklogWithoutCapacity":
          return new MetricReader(
              cw.name(), "ApproximateBacklogSize", Kind.BACKLOG_WITHOUT_CAPACITY, 1);
        case "NoCapacityInvocationFailures":
          return new MetricReader(cw.name(), "Invocations", Kind.FAILURES_WITHOUT_CAPACITY, 1);
        default:
          return new MetricReader(cw.name(), cw.name(), Kind.AS_RECORDED, 1);
      }
    }
    return new MetricReader(cw.name(), cw.name(), Kind.AS_RECORDED, 1);
  }

  /** Metric math the planner writes: one metric divided by a constant (per core, per GPU). */
  private static MetricReader ofMath(List<MetricSource.Query> queries) {
    Optional<MetricSource.Query> result =
        queries.stream()
            .filter(q -> q.returnData() == null || q.returnData())
            .filter(q -> q.expression() != null)
            .findFirst();
    if (result.isPresent()) {
      Matcher m = DIVIDED.matcher(result.get().expression());
      if (m.matches()) {
        Optional<MetricSource.Query> input =
            queries.stream()
                .filter(q -> q.id().equals(m.group(1)) && q.metric() != null)
                .findFirst();
        if (input.isPresent()) {
          MetricReader base = ofCloudWatch(input.get().metric());
          String label =
              result.get().label() != null ? result.get().label() : result.get().expression();
          return new MetricReader(
              label, base.column(), base.kind(), base.divisor() * Double.parseDouble(m.group(2)));
        }
      }
    }
    String expression = result.map(MetricSource.Query::expression).orElse("metric math");
    return new MetricReader(expression, expression, Kind.UNSUPPORTED, 1);
  }

  private static MetricReader perCapacity(String label, String column) {
    return new MetricReader(label, column, Kind.PER_CAPACITY, 1);
  }
}
