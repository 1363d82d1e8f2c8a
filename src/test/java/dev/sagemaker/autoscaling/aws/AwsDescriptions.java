package dev.sagemaker.autoscaling.aws;

import java.util.UUID;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricAggregationType;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScalingPolicyRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScheduledActionRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.RegisterScalableTargetRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.StepScalingPolicyConfiguration;
import software.amazon.awssdk.services.applicationautoscaling.model.SuspendedState;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;

/**
 * What the Describe calls return for an object that was put, as AWS returns it: the members that
 * were sent, the ones AWS generates (ARNs, state) and the defaults the API reference gives for the
 * ones left out (DatapointsToAlarm = EvaluationPeriods, TreatMissingData = missing, ReturnData =
 * true, ActionsEnabled = true, MetricAggregationType = Average, DisableScaleIn = false, all-false
 * SuspendedState, an unset time zone reported as UTC).
 */
final class AwsDescriptions {
  static final String REGION = "us-east-1";
  static final String ACCOUNT = "123456789012";

  private AwsDescriptions() {}

  static ScalableTarget target(RegisterScalableTargetRequest r) {
    SuspendedState sent = r.suspendedState();
    return ScalableTarget.builder()
        .serviceNamespace(r.serviceNamespace())
        .resourceId(r.resourceId())
        .scalableDimension(r.scalableDimension())
        .minCapacity(r.minCapacity())
        .maxCapacity(r.maxCapacity())
        .roleARN(
            "arn:aws:iam::"
                + ACCOUNT
                + ":role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint")
        .scalableTargetARN(
            "arn:aws:application-autoscaling:"
                + REGION
                + ":"
                + ACCOUNT
                + ":scalable-target/"
                + UUID.randomUUID())
        .suspendedState(
            SuspendedState.builder()
                .dynamicScalingInSuspended(
                    sent != null && Boolean.TRUE.equals(sent.dynamicScalingInSuspended()))
                .dynamicScalingOutSuspended(
                    sent != null && Boolean.TRUE.equals(sent.dynamicScalingOutSuspended()))
                .scheduledScalingSuspended(
                    sent != null && Boolean.TRUE.equals(sent.scheduledScalingSuspended()))
                .build())
        .build();
  }

  static ScalingPolicy policy(PutScalingPolicyRequest r) {
    return ScalingPolicy.builder()
        .policyARN(
            "arn:aws:autoscaling:"
                + REGION
                + ":"
                + ACCOUNT
                + ":scalingPolicy:"
                + UUID.randomUUID()
                + ":resource/sagemaker/"
                + r.resourceId()
                + ":policyName/"
                + r.policyName())
        .policyName(r.policyName())
        .serviceNamespace(r.serviceNamespace())
        .resourceId(r.resourceId())
        .scalableDimension(r.scalableDimension())
        .policyType(r.policyType())
        .stepScalingPolicyConfiguration(stepScaling(r.stepScalingPolicyConfiguration()))
        .targetTrackingScalingPolicyConfiguration(
            targetTracking(r.targetTrackingScalingPolicyConfiguration()))
        .build();
  }

  private static StepScalingPolicyConfiguration stepScaling(StepScalingPolicyConfiguration sent) {
    if (sent == null || sent.metricAggregationType() != null) {
      return sent;
    }
    return sent.toBuilder().metricAggregationType(MetricAggregationType.AVERAGE).build();
  }

  private static TargetTrackingScalingPolicyConfiguration targetTracking(
      TargetTrackingScalingPolicyConfiguration sent) {
    if (sent == null) {
      return null;
    }
    TargetTrackingScalingPolicyConfiguration.Builder b = sent.toBuilder();
    if (sent.disableScaleIn() == null) {
      b.disableScaleIn(false);
    }
    if (sent.customizedMetricSpecification() != null
        && sent.customizedMetricSpecification().hasMetrics()) {
      b.customizedMetricSpecification(
          sent.customizedMetricSpecification().toBuilder()
              .metrics(
                  sent.customizedMetricSpecification().metrics().stream()
                      .map(q -> q.returnData() != null ? q : q.toBuilder().returnData(true).build())
                      .toList())
              .build());
    }
    return b.build();
  }

  static MetricAlarm alarm(PutMetricAlarmRequest r) {
    return MetricAlarm.builder()
        .alarmName(r.alarmName())
        .alarmArn("arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":alarm:" + r.alarmName())
        .alarmDescription(r.alarmDescription())
        .actionsEnabled(r.actionsEnabled() == null || r.actionsEnabled())
        .alarmActions(r.alarmActions())
        .okActions(r.okActions())
        .insufficientDataActions(r.insufficientDataActions())
        .stateValue("INSUFFICIENT_DATA")
        .metricName(r.metricName())
        .namespace(r.namespace())
        .statistic(r.statistic())
        .extendedStatistic(r.extendedStatistic())
        .dimensions(r.dimensions())
        .period(r.period())
        .unit(r.unit())
        .evaluationPeriods(r.evaluationPeriods())
        .datapointsToAlarm(
            r.datapointsToAlarm() != null ? r.datapointsToAlarm() : r.evaluationPeriods())
        .threshold(r.threshold())
        .comparisonOperator(r.comparisonOperator())
        .treatMissingData(r.treatMissingData() != null ? r.treatMissingData() : "missing")
        .metrics(
            r.hasMetrics()
                ? r.metrics().stream().map(AwsDescriptions::withReturnData).toList()
                : null)
        .build();
  }

  private static MetricDataQuery withReturnData(MetricDataQuery q) {
    return q.returnData() != null ? q : q.toBuilder().returnData(true).build();
  }

  static ScheduledAction scheduledAction(PutScheduledActionRequest r) {
    return ScheduledAction.builder()
        .scheduledActionName(r.scheduledActionName())
        .scheduledActionARN(
            "arn:aws:autoscaling:"
                + REGION
                + ":"
                + ACCOUNT
                + ":scheduledAction:"
                + UUID.randomUUID()
                + ":resource/sagemaker/"
                + r.resourceId()
                + ":scheduledActionName/"
                + r.scheduledActionName())
        .serviceNamespace(r.serviceNamespace())
        .schedule(r.schedule())
        .timezone(r.timezone() != null ? r.timezone() : "UTC")
        .resourceId(r.resourceId())
        .scalableDimension(r.scalableDimension())
        .startTime(r.startTime())
        .endTime(r.endTime())
        .scalableTargetAction(r.scalableTargetAction())
        .build();
  }
}
