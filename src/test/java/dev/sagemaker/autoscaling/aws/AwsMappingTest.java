package dev.sagemaker.autoscaling.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.Change;
import dev.sagemaker.autoscaling.plan.MetricSource;
import dev.sagemaker.autoscaling.plan.MetricSource.CloudWatch;
import dev.sagemaker.autoscaling.plan.MetricSource.MetricMath;
import dev.sagemaker.autoscaling.plan.MetricSource.Query;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import dev.sagemaker.autoscaling.plan.Suspension;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.model.CustomizedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingMetricDataQuery;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

/** What the requests say where AWS reads an unset member in a way the spec did not mean. */
class AwsMappingTest {
  private static final TargetKey KEY =
      TargetKey.variant("recommender", "AllTraffic", TargetKey.VARIANT_INSTANCES);
  private static final CloudWatch CPU =
      new CloudWatch(
          "/aws/sagemaker/Endpoints",
          "CPUUtilization",
          List.of(new MetricSource.Dimension("EndpointName", "recommender")),
          "Average",
          "Percent");

  /** As the spec gives them: only the result says returnData; the others leave it unset. */
  private static final MetricMath MATH =
      new MetricMath(
          List.of(
              new Query("m1", null, CPU, null, null),
              new Query("m2", null, CPU, null, false),
              new Query("e1", "(m1 + m2) / 2", null, "mean", true)));

  @Test
  void targetTrackingMetricMathSaysReturnDataOnEveryQueryAndTrueOnlyOnTheResult() {
    ScalingPolicy policy =
        new ScalingPolicy("smsp_p", new PolicyConfig.TargetTracking(50, MATH, 60, 300, false));

    List<TargetTrackingMetricDataQuery> sent =
        AwsMapping.putPolicy(KEY, policy)
            .targetTrackingScalingPolicyConfiguration()
            .customizedMetricSpecification()
            .metrics();

    assertThat(sent)
        .extracting(TargetTrackingMetricDataQuery::id)
        .containsExactly("m1", "m2", "e1");
    assertThat(sent)
        .extracting(TargetTrackingMetricDataQuery::returnData)
        .containsExactly(false, false, true);
  }

  @Test
  void alarmMetricMathSaysReturnDataOnEveryQueryAndTrueOnlyOnTheResult() {
    Alarm alarm =
        new Alarm(
            "smsp_a",
            "smsp_p",
            "d",
            MATH,
            80,
            "GreaterThanOrEqualToThreshold",
            60,
            1,
            1,
            "missing");

    List<MetricDataQuery> sent = AwsMapping.putAlarm(alarm, "arn:policy", Map.of()).metrics();

    assertThat(sent).extracting(MetricDataQuery::id).containsExactly("m1", "m2", "e1");
    assertThat(sent).extracting(MetricDataQuery::returnData).containsExactly(false, false, true);
  }

  @Test
  void aQueryStoredWithoutReturnDataReadsAsReturningData() {
    software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy described =
        software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy.builder()
            .policyName("smsp_p")
            .policyARN(
                "arn:aws:autoscaling:us-east-1:1:scalingPolicy:x:resource/sagemaker/r:policyName/smsp_p")
            .targetTrackingScalingPolicyConfiguration(
                TargetTrackingScalingPolicyConfiguration.builder()
                    .targetValue(50.0)
                    .customizedMetricSpecification(
                        CustomizedMetricSpecification.builder()
                            .metrics(
                                TargetTrackingMetricDataQuery.builder()
                                    .id("e1")
                                    .expression("1")
                                    .build())
                            .build())
                    .build())
            .build();

    PolicyConfig.TargetTracking config =
        (PolicyConfig.TargetTracking) AwsMapping.observedPolicy(described).policy().config();

    // AWS reads it as true, so a policy put before ReturnData was explicit is put again.
    assertThat(((MetricMath) config.metric()).queries().get(0).returnData()).isTrue();
  }

  @Test
  void everyChangeNamesTheOperationItIsSentAs() {
    ScalableTarget target = new ScalableTarget(KEY, 1, 2, Suspension.NONE);
    ScalingPolicy policy =
        new ScalingPolicy("smsp_p", new PolicyConfig.TargetTracking(50, CPU, 60, 300, false));
    Alarm alarm =
        new Alarm(
            "smsp_a", "smsp_p", "d", CPU, 80, "GreaterThanOrEqualToThreshold", 60, 1, 1, "missing");
    ScheduledAction action = new ScheduledAction("smsp_s", "rate(1 day)", null, null, null, 1, 2);
    List<Change> every =
        List.of(
            new Change.RegisterTarget(target, Map.of(), true),
            new Change.PutPolicy(KEY, policy),
            new Change.PutAlarm(alarm, Map.of()),
            new Change.PutScheduledAction(KEY, action),
            new Change.DeleteAlarms(List.of("smsp_a")),
            new Change.DeletePolicy(KEY, "smsp_p"),
            new Change.DeleteScheduledAction(KEY, "smsp_s"),
            new Change.DeregisterTarget(KEY));

    for (Change change : every) {
      assertThat(AwsMapping.request(change, name -> "arn:" + name).getClass().getSimpleName())
          .isEqualTo(change.operation() + "Request");
    }
  }

  @Test
  void anAlarmReadFromAwsKeepsItsMetricAndState() {
    // Fresh copies, as each response carries its own.
    MetricAlarm described =
        MetricAlarm.builder()
            .alarmName(new String("smsp_c_ns_seed_cpu-steps_upper"))
            .alarmActions("arn:aws:autoscaling:us-east-1:1:scalingPolicy:x:policyName/smsp_p")
            .namespace(new String("/aws/sagemaker/Endpoints"))
            .metricName(new String("CPUUtilization"))
            .dimensions(
                Dimension.builder()
                    .name(new String("EndpointName"))
                    .value(new String("recommender"))
                    .build())
            .statistic(new String("Average"))
            .unit(new String("Percent"))
            .threshold(80.0)
            .comparisonOperator(new String("GreaterThanOrEqualToThreshold"))
            .period(60)
            .evaluationPeriods(1)
            .treatMissingData(new String("notBreaching"))
            .stateValue(new String("ALARM"))
            .stateReason(new String("Threshold Crossed"))
            .stateUpdatedTimestamp(Instant.parse("2026-03-01T10:00:00Z"))
            .build();

    var observed = AwsMapping.observedAlarm(described);

    assertThat(observed.alarm())
        .isEqualTo(
            new Alarm(
                "smsp_c_ns_seed_cpu-steps_upper",
                "smsp_p",
                null,
                CPU,
                80,
                "GreaterThanOrEqualToThreshold",
                60,
                1,
                1,
                "notBreaching"));
    assertThat(observed.state())
        .contains(
            new AlarmState("ALARM", "Threshold Crossed", Instant.parse("2026-03-01T10:00:00Z")));
  }
}
