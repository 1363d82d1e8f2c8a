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
public class ScheduledBoundsStatus {
  @JsonPropertyDescription(
      "MinCapacity registered on the target now, as the scheduled action set it.")
  private Integer minCapacity;

  @JsonPropertyDescription(
      "MaxCapacity registered on the target now, as the scheduled action set it.")
  private Integer maxCapacity;

  @JsonPropertyDescription(
      "The spec's schedule whose bounds are in force (the first in spec order when several set the"
          + " same bounds).")
  private String setBy;
}
