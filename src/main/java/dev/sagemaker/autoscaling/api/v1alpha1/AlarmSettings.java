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
    value =
        "!has(self.periodSeconds) || self.periodSeconds in [10, 20, 30] || self.periodSeconds % 60"
            + " == 0",
    message = "periodSeconds must be 10, 20, 30 or a multiple of 60",
    fieldPath = ".periodSeconds")
@ValidationRule(
    value = AlarmSettings.WINDOW_RULE,
    message = AlarmSettings.WINDOW_MESSAGE,
    fieldPath = ".evaluationPeriods")
@ValidationRule(
    value =
        "!has(self.datapointsToAlarm) || self.datapointsToAlarm <= "
            + "(has(self.evaluationPeriods) ? self.evaluationPeriods : "
            + AlarmSettings.DEFAULT_EVALUATION_PERIODS
            + ")",
    message = "datapointsToAlarm must not exceed evaluationPeriods",
    fieldPath = ".datapointsToAlarm")
public class AlarmSettings {
  /** The AWS CDK's cloudwatch.Metric period when none is given (5 minutes). */
  public static final int DEFAULT_PERIOD_SECONDS = 300;

  /** The AWS CDK StepScalingPolicy's evaluationPeriods when none is given. */
  public static final int DEFAULT_EVALUATION_PERIODS = 1;

  private static final String PERIOD =
      "(has(self.periodSeconds) ? self.periodSeconds : " + DEFAULT_PERIOD_SECONDS + ")";
  private static final String EVALUATIONS =
      "(has(self.evaluationPeriods) ? self.evaluationPeriods : " + DEFAULT_EVALUATION_PERIODS + ")";

  /**
   * CloudWatch PutMetricAlarm: Period × EvaluationPeriods ≤ 7 days, and ≤ 1 day for periods under
   * an hour.
   */
  static final String WINDOW_RULE =
      PERIOD
          + " * "
          + EVALUATIONS
          + " <= ("
          + PERIOD
          + " < "
          + SpecLimits.LONG_PERIOD_SECONDS
          + " ? "
          + SpecLimits.MAX_SHORT_PERIOD_WINDOW_SECONDS
          + " : "
          + SpecLimits.MAX_EVALUATION_WINDOW_SECONDS
          + ")";

  public static final String WINDOW_MESSAGE =
      "periodSeconds times evaluationPeriods must not exceed "
          + SpecLimits.MAX_SHORT_PERIOD_WINDOW_SECONDS
          + " (one day) for periods under an hour, or "
          + SpecLimits.MAX_EVALUATION_WINDOW_SECONDS
          + " (seven days) for periods of an hour or more";

  @JsonPropertyDescription(
      "Statistic the alarms evaluate. Defaults to the metric's usual statistic (Average for"
          + " utilization, Sum for invocations, the customMetric's statistic).")
  private Statistic statistic;

  @Min(SpecLimits.MIN_PERIOD_SECONDS)
  @Max(SpecLimits.MAX_PERIOD_SECONDS)
  @JsonPropertyDescription(
      "Length of one evaluation period in seconds: 10, 20, 30 or a multiple of 60. Defaults to 300,"
          + " the period of an AWS CDK metric. Shorter periods react faster and cost more alarm"
          + " evaluations.")
  private Integer periodSeconds;

  @Min(1)
  @Max(SpecLimits.MAX_EVALUATION_PERIODS)
  @JsonPropertyDescription(
      "Number of recent periods the alarm looks at (the N of M out of N). Defaults to 1, as the AWS"
          + " CDK. periodSeconds times evaluationPeriods must not exceed 86400 for periods under an"
          + " hour, 604800 otherwise.")
  private Integer evaluationPeriods;

  @Min(1)
  @Max(SpecLimits.MAX_EVALUATION_PERIODS)
  @JsonPropertyDescription(
      "Breaching periods among them that trigger the alarm (the M). Defaults to evaluationPeriods,"
          + " as CloudWatch.")
  private Integer datapointsToAlarm;

  @JsonPropertyDescription("How periods without data count. Defaults to missing, as CloudWatch.")
  private TreatMissingData treatMissingData;
}
