package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PolicyStatus {
  @JsonPropertyDescription("Policy name in Application Auto Scaling.")
  private String name;

  @JsonPropertyDescription("TargetTrackingScaling or StepScaling.")
  private String type;

  @JsonPropertyDescription("Policy ARN.")
  private String arn;

  @JsonPropertyDescription("CloudWatch alarms that invoke the policy.")
  private List<String> alarms = new ArrayList<>();
}
