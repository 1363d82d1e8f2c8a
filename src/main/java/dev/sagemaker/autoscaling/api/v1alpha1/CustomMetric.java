package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/** Any CloudWatch metric, for metric: Custom. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CustomMetric {
  @Required
  @Size(min = 1, max = SpecLimits.MAX_METRIC_NAME_LENGTH)
  @Pattern("^[^:].*$")
  @JsonPropertyDescription(
      "CloudWatch namespace, for example /aws/sagemaker/Endpoints or AWS/SageMaker.")
  private String namespace;

  @Required
  @Size(min = 1, max = SpecLimits.MAX_METRIC_NAME_LENGTH)
  @JsonPropertyDescription("CloudWatch metric name.")
  private String metricName;

  @Size(max = SpecLimits.MAX_DIMENSIONS)
  @JsonSetter(nulls = Nulls.AS_EMPTY)
  @JsonPropertyDescription("Dimensions that select the metric's time series.")
  private List<MetricDimension> dimensions = new ArrayList<>();

  @JsonPropertyDescription("Statistic to aggregate the metric with. Defaults to Average.")
  private Statistic statistic;

  @JsonPropertyDescription(
      "Unit of the metric, one of CloudWatch's standard units (for example Percent, Count or"
          + " Bytes/Second). Unset reads the metric in whatever unit it is published in.")
  private StandardUnit unit;
}
