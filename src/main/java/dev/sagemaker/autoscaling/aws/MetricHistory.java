package dev.sagemaker.autoscaling.aws;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * Reads an endpoint's recorded metrics at one-minute resolution through CloudWatch GetMetricData,
 * for replaying real traffic through a policy. CloudWatch keeps one-minute datapoints for 15 days
 * (older ones only at five minutes), so a replay reaches back at most that far.
 */
public final class MetricHistory implements AutoCloseable {
  /** GetMetricData accepts up to 500 queries per request; a replay needs a handful. */
  private static final int MAX_QUERIES = 500;

  private final CloudWatchClient client;
  private final boolean owned;

  /** One series to read: the trace column it fills and the CloudWatch metric with its statistic. */
  public record Series(
      String column,
      String namespace,
      String metricName,
      Map<String, String> dimensions,
      String statistic) {}

  public MetricHistory(CloudWatchClient client) {
    this(client, false);
  }

  private MetricHistory(CloudWatchClient client, boolean owned) {
    this.client = client;
    this.owned = owned;
  }

  /**
   * A client from the SDK's usual sources (AWS_REGION, credentials chain, AWS_ENDPOINT_URL),
   * optionally overridden.
   */
  public static MetricHistory connect(Optional<String> region, Optional<URI> endpoint) {
    CloudWatchClientBuilder builder = CloudWatchClient.builder();
    region.ifPresent(r -> builder.region(Region.of(r)));
    endpoint.ifPresent(builder::endpointOverride);
    return new MetricHistory(builder.build(), true);
  }

  /**
   * Each series' datapoints by timestamp, one-minute period, from (inclusive) to to (exclusive).
   */
  public Map<String, Map<Instant, Double>> read(List<Series> series, Instant from, Instant to) {
    if (series.size() > MAX_QUERIES) {
      throw new IllegalArgumentException("at most " + MAX_QUERIES + " series per read");
    }
    List<MetricDataQuery> queries = new ArrayList<>();
    Map<String, String> columnById = new LinkedHashMap<>();
    Map<String, Map<Instant, Double>> result = new LinkedHashMap<>();
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      String id = "m" + i;
      columnById.put(id, s.column());
      result.put(s.column(), new TreeMap<>());
      List<Dimension> dimensions =
          s.dimensions().entrySet().stream()
              .map(d -> Dimension.builder().name(d.getKey()).value(d.getValue()).build())
              .toList();
      queries.add(
          MetricDataQuery.builder()
              .id(id)
              .returnData(true)
              .metricStat(
                  stat ->
                      stat.metric(
                              m ->
                                  m.namespace(s.namespace())
                                      .metricName(s.metricName())
                                      .dimensions(dimensions))
                          .period(60)
                          .stat(s.statistic()))
              .build());
    }
    String token = null;
    do {
      GetMetricDataRequest request =
          GetMetricDataRequest.builder()
              .metricDataQueries(queries)
              .startTime(from)
              .endTime(to)
              .scanBy(ScanBy.TIMESTAMP_ASCENDING)
              .nextToken(token)
              .build();
      GetMetricDataResponse response = client.getMetricData(request);
      for (MetricDataResult r : response.metricDataResults()) {
        Map<Instant, Double> points = result.get(columnById.get(r.id()));
        for (int i = 0; i < r.timestamps().size() && i < r.values().size(); i++) {
          points.put(r.timestamps().get(i), r.values().get(i));
        }
      }
      token = response.nextToken();
    } while (token != null && !token.isEmpty());
    return result;
  }

  @Override
  public void close() {
    if (owned) {
      client.close();
    }
  }
}
