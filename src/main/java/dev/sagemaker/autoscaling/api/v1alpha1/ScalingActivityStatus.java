package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScalingActivityStatus {
  @JsonPropertyDescription("When the activity started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("Pending, InProgress, Successful, Overridden, Unfulfilled or Failed.")
  private String statusCode;

  @JsonPropertyDescription(
      "What Application Auto Scaling did, for example 'Setting desired instance count to 3.'")
  private String description;

  @JsonPropertyDescription("Why it did it, for example the alarm or policy that triggered it.")
  private String cause;
}
