package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@NoArgsConstructor
@AllArgsConstructor
public class MetricDimension {
  @Required
  @Size(min = 1, max = SpecLimits.MAX_METRIC_NAME_LENGTH)
  @JsonPropertyDescription("Dimension name, for example EndpointName.")
  private String name;

  @Required
  @Size(min = 1, max = SpecLimits.MAX_DIMENSION_VALUE_LENGTH)
  @JsonPropertyDescription("Dimension value.")
  private String value;
}
