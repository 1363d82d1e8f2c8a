package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.metric == 'Custom' ? has(self.customMetric) : !has(self.customMetric)",
    message = "metric Custom needs customMetric; other metrics take none",
    fieldPath = ".customMetric")
@ValidationRule(
    value = "!(self.metric in " + StepScalingPolicy.TARGET_TRACKING_ONLY_METRICS + ")",
    message =
        "this metric is only available to target tracking; use metric Custom to alarm on a"
            + " CloudWatch metric",
    fieldPath = ".metric")
@ValidationRule(
    value = "!has(self.minAdjustmentMagnitude) || self.adjustmentType == 'PercentChangeInCapacity'",
    message = "minAdjustmentMagnitude applies only to adjustmentType PercentChangeInCapacity",
    fieldPath = ".minAdjustmentMagnitude")
@ValidationRule(
    value = "self.adjustmentType != 'ExactCapacity' || self.steps.all(s, s.change >= 0)",
    message =
        "with adjustmentType ExactCapacity every step's change is a capacity and must not be"
            + " negative",
    fieldPath = ".steps")
public class StepScalingPolicy {
  /**
   * The metric kinds that are Application Auto Scaling predefined metrics with no CloudWatch metric
   * to alarm on, as a CEL list. A test checks it against the planner's metric catalog.
   */
  public static final String TARGET_TRACKING_ONLY_METRICS =
      "['ProvisionedConcurrencyUtilization', 'ConcurrentRequestsPerCopy',"
          + " 'ConcurrentRequestsPerModel']";

  @Required
  @Size(min = 1, max = SpecLimits.MAX_ITEM_NAME_LENGTH)
  @Pattern(TargetTrackingPolicy.ITEM_NAME)
  @JsonPropertyDescription(
      "Name of the item, unique in this list. Policy and alarm names are derived from it, with the"
          + " suffixes _lower and _upper.")
  private String name;

  @Required
  @JsonPropertyDescription(
      "The metric whose value selects the band: a CloudWatch metric of the endpoint (CPU, memory,"
          + " GPU, disk, invocations, backlog) or Custom.")
  private MetricKind metric;

  @JsonPropertyDescription("The CloudWatch metric, for metric: Custom.")
  private CustomMetric customMetric;

  @Default("ChangeInCapacity")
  @JsonPropertyDescription(
      "How change is read: ChangeInCapacity (default), PercentChangeInCapacity or ExactCapacity.")
  private AdjustmentType adjustmentType = AdjustmentType.ChangeInCapacity;

  @Min(1)
  @Max(SpecLimits.MAX_STEP_CHANGE)
  @JsonPropertyDescription(
      "For PercentChangeInCapacity: the smallest number of instances a step changes.")
  private Integer minAdjustmentMagnitude;

  @Min(0)
  @Max(SpecLimits.MAX_COOLDOWN_SECONDS)
  @JsonPropertyDescription(
      "Seconds after a step activity before the next, for both the lower and the upper policy."
          + " Unset leaves it out of the request, so Application Auto Scaling applies its default"
          + " of 300 s (as the AWS CDK does). Async models usually want longer cooldowns (for"
          + " example 600) so queued work does not make capacity flap.")
  private Integer cooldownSeconds;

  @JsonPropertyDescription(
      "How data points of a period are aggregated for the steps: Average, Minimum or Maximum."
          + " Defaults to the alarm statistic when that is one of them, otherwise Average.")
  private MetricAggregation metricAggregationType;

  @Required
  @Size(min = SpecLimits.MIN_STEPS, max = SpecLimits.MAX_STEPS)
  @JsonPropertyDescription(
      "Bands of absolute metric values and the change each applies, as in the AWS CDK: at most one"
          + " no-change band (a gap, or change 0) separates the scale-in bands below from the"
          + " scale-out bands above. At most "
          + SpecLimits.MAX_STEPS_PER_SIDE
          + " bands on each side.")
  private List<StepBand> steps;

  @JsonPropertyDescription("How the alarms read the metric.")
  private AlarmSettings alarm;
}
