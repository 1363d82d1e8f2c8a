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
  @Size(min = 1, max = 255)
  @Pattern("^[^:].*$")
  @JsonPropertyDescription("CloudWatch namespace, for example /aws/sagemaker/Endpoints or AWS/SageMaker.")
  private String namespace;

  @Required
  @Size(min = 1, max = 255)
  @JsonPropertyDescription("CloudWatch metric name.")
  private String metricName;

  @Size(max = 30)
  @JsonSetter(nulls = Nulls.AS_EMPTY)
  @JsonPropertyDescription("Dimensions that select the metric's time series.")
  private List<MetricDimension> dimensions = new ArrayList<>();

  @JsonPropertyDescription("Statistic to aggregate the metric with. Defaults to Average.")
  private Statistic statistic;

  @Size(max = 1023)
  @JsonPropertyDescription("Unit of the metric, for example Percent or Count.")
  private String unit;
}
