package dev.sagemaker.autoscaling.aws;

import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.MetricSource;
import dev.sagemaker.autoscaling.plan.MetricSource.CloudWatch;
import dev.sagemaker.autoscaling.plan.MetricSource.MetricMath;
import dev.sagemaker.autoscaling.plan.MetricSource.Predefined;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepScaling;
import dev.sagemaker.autoscaling.plan.PolicyConfig.TargetTracking;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.applicationautoscaling.model.CustomizedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.DeleteScalingPolicyRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.DeleteScheduledActionRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.DeregisterScalableTargetRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.PredefinedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScalingPolicyRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScheduledActionRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.RegisterScalableTargetRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTargetAction;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.StepAdjustment;
import software.amazon.awssdk.services.applicationautoscaling.model.StepScalingPolicyConfiguration;
import software.amazon.awssdk.services.applicationautoscaling.model.SuspendedState;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetric;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricDataQuery;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricStat;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;
import software.amazon.awssdk.services.cloudwatch.model.DeleteAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/**
 * Builds the SDK requests for each write. The SDK client and the offline {@code plan} rendering
 * both use these, so what {@code plan} prints is exactly what the operator sends.
 */
public final class AwsRequests {
  private AwsRequests() {}

  public static RegisterScalableTargetRequest registerTarget(ScalableTarget target, Map<String, String> tags, boolean create) {
    RegisterScalableTargetRequest.Builder b = RegisterScalableTargetRequest.builder()
        .serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(target.key().resourceId())
        .scalableDimension(target.key().scalableDimension())
        .minCapacity(target.minCapacity())
        .maxCapacity(target.maxCapacity())
        .suspendedState(SuspendedState.builder()
            .dynamicScalingInSuspended(target.suspension().scaleIn())
            .dynamicScalingOutSuspended(target.suspension().scaleOut())
            .scheduledScalingSuspended(target.suspension().scheduled())
            .build());
    // Tags only count when the target is created; an update that carries them is rejected by some
    // back ends and ignored by others.
    return create ? b.tags(tags).build() : b.build();
  }

  public static DeregisterScalableTargetRequest deregisterTarget(TargetKey key) {
    return DeregisterScalableTargetRequest.builder()
        .serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(key.resourceId())
        .scalableDimension(key.scalableDimension())
        .build();
  }

  public static PutScalingPolicyRequest putPolicy(TargetKey key, ScalingPolicy policy) {
    PutScalingPolicyRequest.Builder b = PutScalingPolicyRequest.builder()
        .policyName(policy.name())
        .serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(key.resourceId())
        .scalableDimension(key.scalableDimension())
        .policyType(policy.config().policyType());
    PolicyConfig config = policy.config();
    if (config instanceof TargetTracking tt) {
      b.targetTrackingScalingPolicyConfiguration(targetTracking(tt));
    } else if (config instanceof StepScaling step) {
      b.stepScalingPolicyConfiguration(stepScaling(step));
    }
    return b.build();
  }

  public static DeleteScalingPolicyRequest deletePolicy(TargetKey key, String name) {
    return DeleteScalingPolicyRequest.builder()
        .policyName(name)
        .serviceNamespace(ServiceNamespace.SAGEMAKER)
        .resourceId(key.resourceId())
        .scalableDimension(key.scalableDimension())
        .build();
  }

  public static PutScheduledActionRequest putScheduledAction(TargetKey key, ScheduledAction action) {
    return PutScheduledActionRequest.builder()
        .serviceNamespace(ServiceNamespace.SAGEMAKER)
        .scheduledActionName(action.name())
        .resourceId(key.resourceId())
        .scalableDimension(key.scalableDimension())
        .schedule(action.schedule())
        .timezone(action.timezone())
        .startTime(action.startTime())
        .endTime(action.endTime())
        .scalableTargetAction(ScalableTargetAction.builder()
            .minCapacity(action.minCapacity())
            .maxCapacity(action.maxCapacity())
            .build())
        .build();
  }

  public static DeleteScheduledActionRequest deleteScheduledAction(TargetKey key, String name) {
    return DeleteScheduledActionRequest.builder()
        .serviceNamespace(ServiceNamespace.SAGEMAKER)
        .scheduledActionName(name)
        .resourceId(key.resourceId())
        .scalableDimension(key.scalableDimension())
        .build();
  }

  /** Sent whole every time: PutMetricAlarm overwrites the alarm's configuration completely. */
  public static PutMetricAlarmRequest putAlarm(Alarm alarm, String policyArn, Map<String, String> tags) {
    PutMetricAlarmRequest.Builder b = PutMetricAlarmRequest.builder()
        .alarmName(alarm.name())
        .alarmDescription(alarm.description())
        .actionsEnabled(true)
        .alarmActions(policyArn)
        .threshold(alarm.threshold())
        .comparisonOperator(alarm.comparisonOperator())
        .evaluationPeriods(alarm.evaluationPeriods())
        .datapointsToAlarm(alarm.datapointsToAlarm())
        .treatMissingData(alarm.treatMissingData())
        .tags(tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
    if (alarm.metric() instanceof CloudWatch cw) {
      b.namespace(cw.namespace())
          .metricName(cw.name())
          .dimensions(cw.dimensions().stream().map(d -> Dimension.builder().name(d.name()).value(d.value()).build()).toList())
          .statistic(cw.statistic())
          .period(alarm.periodSeconds())
          .unit(cw.unit());
    } else if (alarm.metric() instanceof MetricMath math) {
      b.metrics(math.queries().stream().map(q -> alarmQuery(q, alarm.periodSeconds())).toList());
    }
    return b.build();
  }

  public static DeleteAlarmsRequest deleteAlarms(List<String> names) {
    return DeleteAlarmsRequest.builder().alarmNames(names).build();
  }

  private static TargetTrackingScalingPolicyConfiguration targetTracking(TargetTracking tt) {
    TargetTrackingScalingPolicyConfiguration.Builder b = TargetTrackingScalingPolicyConfiguration.builder()
        .targetValue(tt.targetValue())
        .scaleOutCooldown(tt.scaleOutCooldown())
        .scaleInCooldown(tt.scaleInCooldown())
        .disableScaleIn(tt.disableScaleIn());
    MetricSource metric = tt.metric();
    if (metric instanceof Predefined p) {
      b.predefinedMetricSpecification(PredefinedMetricSpecification.builder().predefinedMetricType(p.type()).build());
    } else if (metric instanceof CloudWatch cw) {
      b.customizedMetricSpecification(CustomizedMetricSpecification.builder()
          .namespace(cw.namespace())
          .metricName(cw.name())
          .dimensions(cw.dimensions().stream()
              .map(d -> MetricDimension.builder().name(d.name()).value(d.value()).build()).toList())
          .statistic(cw.statistic())
          .unit(cw.unit())
          .build());
    } else if (metric instanceof MetricMath math) {
      b.customizedMetricSpecification(CustomizedMetricSpecification.builder()
          .metrics(math.queries().stream().map(AwsRequests::trackingQuery).toList())
          .build());
    }
    return b.build();
  }

  private static TargetTrackingMetricDataQuery trackingQuery(MetricSource.Query q) {
    TargetTrackingMetricDataQuery.Builder b = TargetTrackingMetricDataQuery.builder()
        .id(q.id()).expression(q.expression()).label(q.label()).returnData(q.returnData());
    if (q.metric() != null) {
      CloudWatch m = q.metric();
      b.metricStat(TargetTrackingMetricStat.builder()
          .metric(TargetTrackingMetric.builder()
              .namespace(m.namespace())
              .metricName(m.name())
              .dimensions(m.dimensions().stream()
                  .map(d -> TargetTrackingMetricDimension.builder().name(d.name()).value(d.value()).build()).toList())
              .build())
          .stat(m.statistic())
          .unit(m.unit())
          .build());
    }
    return b.build();
  }

  private static MetricDataQuery alarmQuery(MetricSource.Query q, int period) {
    MetricDataQuery.Builder b = MetricDataQuery.builder()
        .id(q.id()).expression(q.expression()).label(q.label()).returnData(q.returnData());
    if (q.metric() != null) {
      CloudWatch m = q.metric();
      b.metricStat(MetricStat.builder()
          .metric(Metric.builder()
              .namespace(m.namespace())
              .metricName(m.name())
              .dimensions(m.dimensions().stream().map(d -> Dimension.builder().name(d.name()).value(d.value()).build()).toList())
              .build())
          .period(period)
          .stat(m.statistic())
          .unit(m.unit())
          .build());
    }
    return b.build();
  }

  private static StepScalingPolicyConfiguration stepScaling(StepScaling step) {
    return StepScalingPolicyConfiguration.builder()
        .adjustmentType(step.adjustmentType())
        .stepAdjustments(step.adjustments().stream()
            .map(a -> StepAdjustment.builder()
                .metricIntervalLowerBound(a.lowerBound())
                .metricIntervalUpperBound(a.upperBound())
                .scalingAdjustment(a.scalingAdjustment())
                .build())
            .toList())
        .minAdjustmentMagnitude(step.minAdjustmentMagnitude())
        .cooldown(step.cooldown())
        .metricAggregationType(step.metricAggregationType())
        .build();
  }
}
