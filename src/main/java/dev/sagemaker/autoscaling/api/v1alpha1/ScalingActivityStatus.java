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
  /** The four fields every activity has; id and not-scaled reason are set where known. */
  public ScalingActivityStatus(
      String startTime, String statusCode, String description, String cause) {
    this(null, startTime, statusCode, description, cause, null);
  }

  @JsonPropertyDescription("Application Auto Scaling's id of the activity.")
  private String activityId;

  @JsonPropertyDescription("When the activity started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("Pending, InProgress, Successful, Overridden, Unfulfilled or Failed.")
  private String statusCode;

  @JsonPropertyDescription(
      "What Application Auto Scaling did, for example 'Setting desired instance count to 3.'")
  private String description;

  @JsonPropertyDescription("Why it did it, for example the alarm or policy that triggered it.")
  private String cause;

  @JsonPropertyDescription(
      "Why Application Auto Scaling did not scale, for a not-scaled activity: AlreadyAtMaxCapacity,"
          + " AlreadyAtMinCapacity, AlreadyAtDesiredCapacity, AutoScalingAnticipatedFlapping or"
          + " TargetServicePutResourceAsUnscalable.")
  private String notScaledReason;
}
