package dev.sagemaker.autoscaling.plan;

/**
 * A CloudWatch alarm whose only action is the named step policy. The policy is named rather than
 * referenced by ARN because the ARN exists only once the policy has been put.
 */
public record Alarm(
    String name,
    String policyName,
    String description,
    MetricSource metric,
    double threshold,
    String comparisonOperator,
    int periodSeconds,
    int evaluationPeriods,
    int datapointsToAlarm,
    String treatMissingData) {}
