package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointStatus {
  @JsonPropertyDescription("SageMaker endpoint status, for example InService or Updating.")
  private String status;

  @JsonPropertyDescription("Capacity the variant or component runs now.")
  private Integer currentCapacity;

  @JsonPropertyDescription("Capacity SageMaker is moving to.")
  private Integer desiredCapacity;

  @JsonPropertyDescription("Instance type of the variant, when known.")
  private String instanceType;
}
