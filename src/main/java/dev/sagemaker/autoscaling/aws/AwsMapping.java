package dev.sagemaker.autoscaling.aws;

import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.Change;
import dev.sagemaker.autoscaling.plan.MetricSource;
import dev.sagemaker.autoscaling.plan.MetricSource.CloudWatch;
import dev.sagemaker.autoscaling.plan.MetricSource.MetricMath;
import dev.sagemaker.autoscaling.plan.MetricSource.Predefined;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedTarget;
import dev.sagemaker.autoscaling.plan.ObservedState.PolicyAlarm;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepScaling;
import dev.sagemaker.autoscaling.plan.PolicyConfig.TargetTracking;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import dev.sagemaker.autoscaling.plan.Suspension;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkRequest;
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
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/**
 * The mapping between our domain records and the AWS SDK, both ways: the requests for each write,
 * and the records read back from the Describe responses. The two directions live together because a
 * resync writes nothing only if what is put reads back equal (AwsMappingProperties checks that).
 * The SDK client and the offline {@code plan} rendering both build their requests here, so what
 * {@code plan} prints is exactly what the operator sends.
 */
public final class AwsMapping {
  private static final String POLICY_NAME_MARKER = ":policyName/";

  private AwsMapping() {}

  // ---- domain -> AWS: the request of each write ----

  /**
   * The request a change is sent as.
   *
   * @param policyArnOf the ARN of the named policy, which an alarm's action points at
   */
  public static SdkRequest request(Change change, Function<String, String> policyArnOf) {
    if (change instanceof Change.RegisterTarget c) {
      return registerTarget(c.target(), c.tags(), c.create());
    } else if (change instanceof Change.PutPolicy c) {
      return putPolicy(c.key(), c.policy());
    } else if (change instanceof Change.PutAlarm c) {
      return putAlarm(c.alarm(), policyArnOf.apply(c.alarm().policyName()), c.tags());
    } else if (change instanceof Change.PutScheduledAction c) {
      return putScheduledAction(c.key(), c.action());
    } else if (change instanceof Change.DeleteAlarms c) {
      return deleteAlarms(c.names());
    } else if (change instanceof Change.DeletePolicy c) {
      return deletePolicy(c.key(), c.name());
    } else if (change instanceof Change.DeleteScheduledAction c) {
      return deleteScheduledAction(c.key(), c.name());
    }
    return deregisterTarget(((Change.DeregisterTarget) change).key());
  }

  public static RegisterScalableTargetRequest registerTarget(
      ScalableTarget target, Map<String, String> tags, boolean create) {
    RegisterScalableTargetRequest.Builder b =
        RegisterScalableTargetRequest.builder()
            .serviceNamespace(ServiceNamespace.SAGEMAKER)
            .resourceId(target.key().resourceId())
            .scalableDimension(target.key().scalableDimension())
            .minCapacity(target.minCapacity())
            .maxCapacity(target.maxCapacity())
            .suspendedState(
                SuspendedState.builder()
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
    PutScalingPolicyRequest.Builder b =
        PutScalingPolicyRequest.builder()
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

  public static PutScheduledActionRequest putScheduledAction(
      TargetKey key, ScheduledAction action) {
    return PutScheduledActionRequest.builder()
        .serviceNamespace(ServiceNamespace.SAGEMAKER)
        .scheduledActionName(action.name())
        .resourceId(key.resourceId())
        .scalableDimension(key.scalableDimension())
        .schedule(action.schedule())
        .timezone(action.timezone())
        .startTime(action.startTime())
        .endTime(action.endTime())
        .scalableTargetAction(
            ScalableTargetAction.builder()
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
  public static PutMetricAlarmRequest putAlarm(
      Alarm alarm, String policyArn, Map<String, String> tags) {
    PutMetricAlarmRequest.Builder b =
        PutMetricAlarmRequest.builder()
            .alarmName(alarm.name())
            .alarmDescription(alarm.description())
            .actionsEnabled(true)
            .alarmActions(policyArn)
            .threshold(alarm.threshold())
            .comparisonOperator(alarm.comparisonOperator())
            .evaluationPeriods(alarm.evaluationPeriods())
            .datapointsToAlarm(alarm.datapointsToAlarm())
            .treatMissingData(alarm.treatMissingData())
            .tags(
                tags.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                    .toList());
    if (alarm.metric() instanceof CloudWatch cw) {
      b.namespace(cw.namespace())
          .metricName(cw.name())
          .dimensions(
              cw.dimensions().stream()
                  .map(d -> Dimension.builder().name(d.name()).value(d.value()).build())
                  .toList())
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
    TargetTrackingScalingPolicyConfiguration.Builder b =
        TargetTrackingScalingPolicyConfiguration.builder()
            .targetValue(tt.targetValue())
            .scaleOutCooldown(tt.scaleOutCooldown())
            .scaleInCooldown(tt.scaleInCooldown())
            .disableScaleIn(tt.disableScaleIn());
    MetricSource metric = tt.metric();
    if (metric instanceof Predefined p) {
      b.predefinedMetricSpecification(
          PredefinedMetricSpecification.builder().predefinedMetricType(p.type()).build());
    } else if (metric instanceof CloudWatch cw) {
      b.customizedMetricSpecification(
          CustomizedMetricSpecification.builder()
              .namespace(cw.namespace())
              .metricName(cw.name())
              .dimensions(
                  cw.dimensions().stream()
                      .map(d -> MetricDimension.builder().name(d.name()).value(d.value()).build())
                      .toList())
              .statistic(cw.statistic())
              .unit(cw.unit())
              .build());
    } else if (metric instanceof MetricMath math) {
      b.customizedMetricSpecification(
          CustomizedMetricSpecification.builder()
              .metrics(math.queries().stream().map(AwsMapping::trackingQuery).toList())
              .build());
    }
    return b.build();
  }

  /**
   * Always explicit: AWS reads an unset ReturnData as true, and both PutScalingPolicy and
   * PutMetricAlarm require exactly one query to return data, every other to say false.
   */
  static boolean returnsData(MetricSource.Query q) {
    return Boolean.TRUE.equals(q.returnData());
  }

  private static TargetTrackingMetricDataQuery trackingQuery(MetricSource.Query q) {
    TargetTrackingMetricDataQuery.Builder b =
        TargetTrackingMetricDataQuery.builder()
            .id(q.id())
            .expression(q.expression())
            .label(q.label())
            .returnData(returnsData(q));
    if (q.metric() != null) {
      CloudWatch m = q.metric();
      b.metricStat(
          TargetTrackingMetricStat.builder()
              .metric(
                  TargetTrackingMetric.builder()
                      .namespace(m.namespace())
                      .metricName(m.name())
                      .dimensions(
                          m.dimensions().stream()
                              .map(
                                  d ->
                                      TargetTrackingMetricDimension.builder()
                                          .name(d.name())
                                          .value(d.value())
                                          .build())
                              .toList())
                      .build())
              .stat(m.statistic())
              .unit(m.unit())
              .build());
    }
    return b.build();
  }

  private static MetricDataQuery alarmQuery(MetricSource.Query q, int period) {
    MetricDataQuery.Builder b =
        MetricDataQuery.builder()
            .id(q.id())
            .expression(q.expression())
            .label(q.label())
            .returnData(returnsData(q));
    if (q.metric() != null) {
      CloudWatch m = q.metric();
      b.metricStat(
          MetricStat.builder()
              .metric(
                  Metric.builder()
                      .namespace(m.namespace())
                      .metricName(m.name())
                      .dimensions(
                          m.dimensions().stream()
                              .map(d -> Dimension.builder().name(d.name()).value(d.value()).build())
                              .toList())
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
        .stepAdjustments(
            step.adjustments().stream()
                .map(
                    a ->
                        StepAdjustment.builder()
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

  // ---- AWS -> domain: the records a Describe response holds ----

  public static ObservedTarget observedTarget(
      software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget t) {
    TargetKey key = new TargetKey(shared(t.resourceId()), shared(t.scalableDimensionAsString()));
    Suspension suspension =
        t.suspendedState() == null
            ? Suspension.NONE
            : new Suspension(
                Boolean.TRUE.equals(t.suspendedState().dynamicScalingInSuspended()),
                Boolean.TRUE.equals(t.suspendedState().dynamicScalingOutSuspended()),
                Boolean.TRUE.equals(t.suspendedState().scheduledScalingSuspended()));
    return new ObservedTarget(
        new ScalableTarget(key, t.minCapacity(), t.maxCapacity(), suspension),
        t.scalableTargetARN());
  }

  public static TargetKey targetKeyOf(
      software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy p) {
    return new TargetKey(shared(p.resourceId()), shared(p.scalableDimensionAsString()));
  }

  public static ObservedPolicy observedPolicy(
      software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy p) {
    return new ObservedPolicy(
        new ScalingPolicy(
            p.policyName(),
            config(
                p.targetTrackingScalingPolicyConfiguration(), p.stepScalingPolicyConfiguration())),
        p.policyARN(),
        trackingAlarms(p));
  }

  /**
   * The alarms AWS created for a target-tracking policy, as the policy lists them. A step policy
   * lists the alarms that point at it, which are ours and read by prefix already.
   */
  private static List<PolicyAlarm> trackingAlarms(
      software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy p) {
    if (p.targetTrackingScalingPolicyConfiguration() == null || !p.hasAlarms()) {
      return List.of();
    }
    return p.alarms().stream()
        .map(a -> a.alarmName())
        .filter(Objects::nonNull)
        .map(PolicyAlarm::new)
        .toList();
  }

  public static ObservedAlarm observedAlarm(MetricAlarm a) {
    return new ObservedAlarm(alarm(a), a.alarmActions(), alarmState(a));
  }

  /** Empty when the response carries no state (DescribeAlarms always does). */
  static Optional<AlarmState> alarmState(MetricAlarm a) {
    if (a.stateValue() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new AlarmState(
            shared(a.stateValueAsString()), shared(a.stateReason()), a.stateUpdatedTimestamp()));
  }

  /** A scaling activity, with its not-scaled reasons when the request asked for them. */
  public static ScalingActivity scalingActivity(
      software.amazon.awssdk.services.applicationautoscaling.model.ScalingActivity a) {
    return new ScalingActivity(
        a.activityId(),
        a.startTime(),
        a.statusCodeAsString(),
        a.description(),
        a.cause(),
        a.hasNotScaledReasons()
            ? a.notScaledReasons().stream()
                .map(
                    r ->
                        new ScalingActivity.NotScaledReason(
                            r.code(), r.minCapacity(), r.maxCapacity(), r.currentCapacity()))
                .toList()
            : List.of());
  }

  public static TargetKey targetKeyOf(
      software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction a) {
    return new TargetKey(shared(a.resourceId()), shared(a.scalableDimensionAsString()));
  }

  public static ScheduledAction scheduledAction(
      software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction a) {
    return new ScheduledAction(
        a.scheduledActionName(),
        a.schedule(),
        a.timezone(),
        a.startTime(),
        a.endTime(),
        a.scalableTargetAction() == null ? null : a.scalableTargetAction().minCapacity(),
        a.scalableTargetAction() == null ? null : a.scalableTargetAction().maxCapacity());
  }

  private static PolicyConfig config(
      TargetTrackingScalingPolicyConfiguration tt, StepScalingPolicyConfiguration step) {
    if (tt != null) {
      return new PolicyConfig.TargetTracking(
          tt.targetValue(),
          trackedMetric(tt),
          tt.scaleOutCooldown(),
          tt.scaleInCooldown(),
          Boolean.TRUE.equals(tt.disableScaleIn()));
    }
    return new PolicyConfig.StepScaling(
        shared(step.adjustmentTypeAsString()),
        step.stepAdjustments().stream()
            .map(
                a ->
                    new PolicyConfig.StepAdjustment(
                        a.metricIntervalLowerBound(),
                        a.metricIntervalUpperBound(),
                        a.scalingAdjustment()))
            .toList(),
        step.minAdjustmentMagnitude(),
        step.cooldown(),
        step.metricAggregationTypeAsString() == null
            ? "Average"
            : shared(step.metricAggregationTypeAsString()));
  }

  private static MetricSource trackedMetric(TargetTrackingScalingPolicyConfiguration tt) {
    if (tt.predefinedMetricSpecification() != null) {
      return new MetricSource.Predefined(
          shared(tt.predefinedMetricSpecification().predefinedMetricTypeAsString()));
    }
    CustomizedMetricSpecification custom = tt.customizedMetricSpecification();
    if (custom.hasMetrics() && !custom.metrics().isEmpty()) {
      return new MetricSource.MetricMath(
          custom.metrics().stream().map(AwsMapping::trackingQuery).toList());
    }
    return new MetricSource.CloudWatch(
        shared(custom.namespace()),
        shared(custom.metricName()),
        custom.dimensions().stream().map(d -> dimension(d.name(), d.value())).toList(),
        shared(custom.statisticAsString()),
        shared(custom.unit()));
  }

  private static MetricSource.Query trackingQuery(TargetTrackingMetricDataQuery q) {
    MetricSource.CloudWatch metric =
        q.metricStat() == null
            ? null
            : new MetricSource.CloudWatch(
                shared(q.metricStat().metric().namespace()),
                shared(q.metricStat().metric().metricName()),
                q.metricStat().metric().dimensions().stream()
                    .map(d -> dimension(d.name(), d.value()))
                    .toList(),
                shared(q.metricStat().stat()),
                shared(q.metricStat().unit()));
    return new MetricSource.Query(
        q.id(), q.expression(), metric, q.label(), readReturnData(q.returnData()));
  }

  private static Alarm alarm(MetricAlarm a) {
    MetricSource metric;
    if (a.hasMetrics() && !a.metrics().isEmpty()) {
      metric =
          new MetricSource.MetricMath(a.metrics().stream().map(AwsMapping::alarmQuery).toList());
    } else {
      metric =
          new MetricSource.CloudWatch(
              shared(a.namespace()),
              shared(a.metricName()),
              a.dimensions().stream().map(d -> dimension(d.name(), d.value())).toList(),
              shared(a.statisticAsString()),
              shared(a.unitAsString()));
    }
    int period =
        a.period() != null
            ? a.period()
            : a.metrics().stream()
                .filter(q -> q.metricStat() != null)
                .map(q -> q.metricStat().period())
                .findFirst()
                .orElse(0);
    int evaluations = orZero(a.evaluationPeriods());
    return new Alarm(
        a.alarmName(),
        a.alarmActions().isEmpty() ? null : policyNameOf(a.alarmActions().get(0)),
        a.alarmDescription(),
        metric,
        a.threshold() == null ? Double.NaN : a.threshold(),
        shared(a.comparisonOperatorAsString()),
        period,
        evaluations,
        // AWS's defaults for what a PutMetricAlarm left out.
        a.datapointsToAlarm() == null ? evaluations : a.datapointsToAlarm(),
        a.treatMissingData() == null ? "missing" : shared(a.treatMissingData()));
  }

  private static MetricSource.Query alarmQuery(MetricDataQuery q) {
    MetricSource.CloudWatch metric =
        q.metricStat() == null
            ? null
            : new MetricSource.CloudWatch(
                shared(q.metricStat().metric().namespace()),
                shared(q.metricStat().metric().metricName()),
                q.metricStat().metric().dimensions().stream()
                    .map(d -> dimension(d.name(), d.value()))
                    .toList(),
                shared(q.metricStat().stat()),
                shared(q.metricStat().unitAsString()));
    return new MetricSource.Query(
        q.id(), q.expression(), metric, q.label(), readReturnData(q.returnData()));
  }

  private static MetricSource.Dimension dimension(String name, String value) {
    return new MetricSource.Dimension(shared(name), shared(value));
  }

  /**
   * One copy of a string that every read from AWS repeats: the inventory holds every target, policy
   * and alarm of the scope, and each response carries its own copy of a metric's namespace, name,
   * statistic and dimensions, an alarm's state reason, the variant's resource id. At 300 resources
   * such copies were a third of a snapshot. Interned strings are collected once nothing uses them.
   */
  private static String shared(String s) {
    return s == null ? null : s.intern();
  }

  /** AWS reads an unset ReturnData as true, so a query stored without one does return data. */
  private static Boolean readReturnData(Boolean stored) {
    return stored == null || stored;
  }

  /** Application Auto Scaling policy ARNs end in ":policyName/<name>". */
  static String policyNameOf(String arn) {
    int at = arn.lastIndexOf(POLICY_NAME_MARKER);
    return at < 0 ? null : arn.substring(at + POLICY_NAME_MARKER.length());
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
