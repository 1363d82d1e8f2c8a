package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** One band of a step policy, in absolute metric values (as the AWS CDK's scalingSteps). */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.lower) || has(self.upper)",
    message = "a step needs lower, upper or both")
@ValidationRule(
    value = "!has(self.lower) || !has(self.upper) || self.lower < self.upper",
    message = "a step's lower must be less than its upper")
public class StepBand {
  @Min(0)
  @Max(SpecLimits.MAX_METRIC_VALUE)
  @JsonPropertyDescription(
      "Lowest metric value of the band (inclusive). Unset: from the band below.")
  private Double lower;

  @Min(0)
  @Max(SpecLimits.MAX_METRIC_VALUE)
  @JsonPropertyDescription(
      "Highest metric value of the band (exclusive). Unset: up to the band above.")
  private Double upper;

  @Required
  @Min(-SpecLimits.MAX_STEP_CHANGE)
  @Max(SpecLimits.MAX_STEP_CHANGE)
  @JsonPropertyDescription(
      "Capacity change while the metric is in this band: instances to add (negative removes) for"
          + " ChangeInCapacity, percent for PercentChangeInCapacity, the capacity for"
          + " ExactCapacity.")
  private Integer change;
}
