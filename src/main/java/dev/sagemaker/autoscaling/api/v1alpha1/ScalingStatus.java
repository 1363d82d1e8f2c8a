package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/** Why the target did or did not scale, from what Application Auto Scaling and CloudWatch say. */
@Data
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ScalingStatus {
  @JsonPropertyDescription(
      "The one-line answer, shown by kubectl get: AtMax (held at maxCapacity by a not-scaled"
          + " activity), AtMin, Alarm <alarm> (a step alarm, or a target-tracking policy's"
          + " AlarmHigh, firing), NoData <alarm> (an alarm in INSUFFICIENT_DATA), ScalingOut,"
          + " ScalingIn, ScaledOut, ScaledIn, Scaled or Steady.")
  private String summary;

  @JsonPropertyDescription("Since when the summary holds (RFC 3339), from AWS's timestamps.")
  private String since;

  @JsonPropertyDescription("Capacity the variant or component runs now.")
  private Integer currentCapacity;

  @JsonPropertyDescription("Capacity SageMaker is moving to.")
  private Integer desiredCapacity;

  @JsonPropertyDescription("MinCapacity of the scalable target in AWS.")
  private Integer minCapacity;

  @JsonPropertyDescription("MaxCapacity of the scalable target in AWS.")
  private Integer maxCapacity;

  @JsonPropertyDescription(
      "The scheduled action whose bounds are in force; absent while the spec's are.")
  private String boundsSetBy;

  @JsonPropertyDescription(
      "State of each alarm of the scaling policies, as CloudWatch reports it with the alarm: the"
          + " step alarms the operator writes, then the AlarmHigh and AlarmLow Application Auto"
          + " Scaling created for each target-tracking policy.")
  private List<AlarmStateStatus> alarms = new ArrayList<>();

  @JsonPropertyDescription("The latest scaling activity that scaled (or tried to).")
  private ScalingActivityStatus latestActivity;

  @JsonPropertyDescription(
      "The latest not-scaled activity: a policy wanted to scale and Application Auto Scaling did"
          + " not, with its reason (for example AlreadyAtMaxCapacity).")
  private ScalingActivityStatus latestNotScaled;

  @JsonPropertyDescription(
      "Since when the target has been held at maxCapacity by not-scaled activities (RFC 3339).")
  private String heldAtMaxSince;

  @JsonPropertyDescription(
      "Episodes (held at max, alarm without data) a Warning Event has been recorded for while"
          + " they last, so each is reported once, also across operator restarts.")
  private List<String> reportedEpisodes = new ArrayList<>();
}
