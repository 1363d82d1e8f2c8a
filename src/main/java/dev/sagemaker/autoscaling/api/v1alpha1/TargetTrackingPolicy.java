package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
    value =
        "self.metric == 'Custom' ? (has(self.customMetric) != has(self.metricQueries)) :"
            + " (!has(self.customMetric) && !has(self.metricQueries))",
    message =
        "metric Custom needs exactly one of customMetric or metricQueries; other metrics take"
            + " neither")
@ValidationRule(
    value =
        "!has(self.metricQueries) || self.metricQueries.exists_one(q, has(q.returnData) &&"
            + " q.returnData)",
    message = "metricQueries: exactly one query must have returnData: true",
    fieldPath = ".metricQueries")
public class TargetTrackingPolicy {
  static final String ITEM_NAME = SpecLimits.ITEM_NAME_PATTERN;

  @Required
  @Size(min = 1, max = SpecLimits.MAX_ITEM_NAME_LENGTH)
  @Pattern(ITEM_NAME)
  @JsonPropertyDescription(
      "Name of the item, unique in this list (lowercase letters, digits, hyphens). The AWS policy"
          + " name is derived from it, so renaming an item replaces its policy.")
  private String name;

  @Required
  @JsonPropertyDescription(
      "The metric to keep at targetValue. InvocationsPerInstance, ConcurrentRequestsPerModel,"
          + " InvocationsPerCopy, ConcurrentRequestsPerCopy and ProvisionedConcurrencyUtilization"
          + " are predefined by Application Auto Scaling; CPU, memory, GPU, disk and backlog"
          + " metrics are read from CloudWatch; the PerCore/PerGPU variants divide utilization by"
          + " the instance type's cores or GPUs; Custom takes customMetric or metricQueries.")
  private MetricKind metric;

  @Required
  @Min(value = 0, inclusive = false)
  @Max(SpecLimits.MAX_METRIC_VALUE)
  @JsonPropertyDescription("Value of the metric to keep the capacity at, for example 70 (percent).")
  private Double targetValue;

  @Min(0)
  @Max(SpecLimits.MAX_COOLDOWN_SECONDS)
  @JsonPropertyDescription(
      "Seconds after a scale-out before another can start. Unset leaves it out of the request, so"
          + " Application Auto Scaling applies its default of 300 s (as the AWS CDK does)."
          + " Real-time models that must react fast often set less, for example 60.")
  private Integer scaleOutCooldownSeconds;

  @Min(0)
  @Max(SpecLimits.MAX_COOLDOWN_SECONDS)
  @JsonPropertyDescription(
      "Seconds after a scale-in before another can start. Unset leaves it out of the request, so"
          + " Application Auto Scaling applies its default of 300 s (as the AWS CDK does). Async"
          + " and batch models usually want longer, for example 600, so capacity does not flap.")
  private Integer scaleInCooldownSeconds;

  @JsonPropertyDescription("If true, this policy only adds capacity and never removes it.")
  private Boolean disableScaleIn;

  @JsonPropertyDescription("The CloudWatch metric to track, for metric: Custom.")
  private CustomMetric customMetric;

  @Size(min = 1, max = SpecLimits.MAX_METRIC_QUERIES)
  @JsonPropertyDescription("Metric math to track, for metric: Custom.")
  private List<MetricQuery> metricQueries;
}
