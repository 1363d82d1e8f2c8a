package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** How the CloudWatch alarms of a step policy read the metric. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.periodSeconds in [10, 20, 30] || self.periodSeconds % 60 == 0",
    message = "periodSeconds must be 10, 20, 30 or a multiple of 60",
    fieldPath = ".periodSeconds")
@ValidationRule(
    value = "self.periodSeconds * self.evaluationPeriods <= 86400",
    message = "periodSeconds times evaluationPeriods must not exceed 86400 (one day)",
    fieldPath = ".evaluationPeriods")
@ValidationRule(
    value = "!has(self.datapointsToAlarm) || self.datapointsToAlarm <= self.evaluationPeriods",
    message = "datapointsToAlarm must not exceed evaluationPeriods",
    fieldPath = ".datapointsToAlarm")
public class AlarmSettings {
  @JsonPropertyDescription("Statistic the alarms evaluate. Defaults to the metric's usual statistic.")
  private Statistic statistic;

  @Min(10)
  @Max(86400)
  @io.fabric8.generator.annotation.Default("60")
  @JsonPropertyDescription("Length of one evaluation period in seconds: 10, 20, 30 or a multiple of 60.")
  private Integer periodSeconds = 60;

  @Min(1)
  @Max(8640)
  @io.fabric8.generator.annotation.Default("1")
  @JsonPropertyDescription("Number of recent periods the alarm looks at (the N of M out of N).")
  private Integer evaluationPeriods = 1;

  @Min(1)
  @Max(8640)
  @JsonPropertyDescription("Breaching periods among them that trigger the alarm (the M). Defaults to evaluationPeriods.")
  private Integer datapointsToAlarm;

  @JsonPropertyDescription("How periods without data count. Defaults to missing.")
  private TreatMissingData treatMissingData;
}
