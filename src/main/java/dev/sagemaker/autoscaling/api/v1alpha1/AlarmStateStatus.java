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
public class AlarmStateStatus {
  @JsonPropertyDescription("CloudWatch alarm name.")
  private String name;

  @JsonPropertyDescription("OK, ALARM or INSUFFICIENT_DATA.")
  private String state;

  @JsonPropertyDescription("CloudWatch's explanation of the state.")
  private String reason;

  @JsonPropertyDescription("When the alarm entered the state (RFC 3339).")
  private String since;

  @JsonPropertyDescription(
      "The target-tracking policy Application Auto Scaling created this alarm for (AWS owns it;"
          + " the operator only reads it); absent for the step alarms the operator writes.")
  private String targetTrackingPolicy;

  public AlarmStateStatus(String name, String state, String reason, String since) {
    this(name, state, reason, since, null);
  }
}
