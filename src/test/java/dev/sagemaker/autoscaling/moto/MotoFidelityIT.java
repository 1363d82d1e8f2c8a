package dev.sagemaker.autoscaling.moto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.applicationautoscaling.model.AdjustmentType;
import software.amazon.awssdk.services.applicationautoscaling.model.ObjectNotFoundException;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingActivity;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The moto extension (src/test/moto/smsp_moto_server.py) as the operator's own SDK sees it: the
 * contract check on the wire (CloudWatch over AWS Query, the others over JSON), the Application
 * Auto Scaling behaviours AWS documents, scheduled actions on the test clock, the scaling-activity
 * history and alarm states.
 */
@ExtendWith(TestEnvironment.class)
class MotoFidelityIT {
  private static final String VARIANT = "endpoint/fidelity/variant/AllTraffic";
  private static final ScalableDimension INSTANCES =
      ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT;
  private Moto moto;

  @BeforeEach
  void start() {
    TestEnvironment.resetMoto();
    moto = new Moto(TestEnvironment.motoEndpoint());
  }

  @AfterEach
  void stop() {
    moto.close();
  }

  private void register(int min, int max) {
    moto.autoScaling.registerScalableTarget(
        r ->
            r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId(VARIANT)
                .scalableDimension(INSTANCES)
                .minCapacity(min)
                .maxCapacity(max));
  }

  private ScalableTarget target() {
    return moto.targets().stream()
        .filter(t -> t.resourceId().equals(VARIANT))
        .findFirst()
        .orElseThrow();
  }

  private void putStepPolicy(String name) {
    moto.autoScaling.putScalingPolicy(
        r ->
            r.policyName(name)
                .serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId(VARIANT)
                .scalableDimension(INSTANCES)
                .policyType(PolicyType.STEP_SCALING)
                .stepScalingPolicyConfiguration(
                    c ->
                        c.adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                            .stepAdjustments(
                                s -> s.metricIntervalLowerBound(0.0).scalingAdjustment(1))));
  }

  private void putAlarm(String name, int period, int evaluationPeriods) {
    moto.cloudWatch.putMetricAlarm(
        r ->
            r.alarmName(name)
                .namespace("/aws/sagemaker/Endpoints")
                .metricName("CPUUtilization")
                .dimensions(d -> d.name("EndpointName").value("fidelity"))
                .statistic(Statistic.AVERAGE)
                .period(period)
                .evaluationPeriods(evaluationPeriods)
                .threshold(70.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
  }

  @Test
  void aCloudWatchRequestOverAwsQueryThatAwsWouldRejectIsRecordedWithItsRuleAndClearedByReset() {
    putAlarm("fine", 60, 5);
    assertThat(moto.contractViolations()).isEmpty();

    putAlarm("too-long-window", 60, 1441);
    List<Map<String, Object>> violations = moto.contractViolations();
    assertThat(violations)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v)
                  .containsEntry("operation", "PutMetricAlarm")
                  .containsEntry("rule", "evaluation-window")
                  .containsEntry("path", "EvaluationPeriods")
                  .containsEntry("protocol", "query");
              assertThat(v.get("request"))
                  .asInstanceOf(InstanceOfAssertFactories.MAP)
                  .containsEntry("AlarmName", "too-long-window");
            });

    TestEnvironment.resetMoto();
    assertThat(moto.contractViolations()).isEmpty();
  }

  @Test
  void inRejectModeAViolationIsAnsweredWithTheServicesOwnError() {
    moto.rejectContractViolations(true);
    assertThatThrownBy(() -> putAlarm("odd-period", 90, 1))
        .isInstanceOfSatisfying(
            AwsServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
            });
    register(1, 2);
    assertThatThrownBy(
            () ->
                moto.autoScaling.registerScalableTarget(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId("endpoint/other/variant/AllTraffic")
                            .scalableDimension(INSTANCES)
                            .minCapacity(1)))
        .isInstanceOfSatisfying(
            AwsServiceException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    assertThat(moto.alarms()).isEmpty();
    assertThat(moto.contractViolations())
        .extracting(v -> v.get("rule") + " " + v.get("path") + " " + v.get("answered"))
        .containsExactly("period Period rejected", "required-on-create MaxCapacity rejected");
  }

  @Test
  void aTargetRegisteredWithoutRoleOrSuspensionReportsTheServiceLinkedRoleAndNoSuspension() {
    register(1, 3);
    ScalableTarget target = target();
    assertThat(target.roleARN())
        .isEqualTo(
            "arn:aws:iam::123456789012:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
                + "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint");
    assertThat(target.suspendedState().dynamicScalingInSuspended()).isFalse();
    assertThat(target.suspendedState().dynamicScalingOutSuspended()).isFalse();
    assertThat(target.suspendedState().scheduledScalingSuspended()).isFalse();
    assertThat(moto.contractViolations()).isEmpty();
  }

  @Test
  void scalableTargetsArePagedToTheEndBeyondAHundred() {
    // moto's own NextToken led back to the second page for ever once there were more than 100.
    for (int i = 0; i < 123; i++) {
      String resourceId = "endpoint/paged-" + i + "/variant/AllTraffic";
      moto.autoScaling.registerScalableTarget(
          r ->
              r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                  .resourceId(resourceId)
                  .scalableDimension(INSTANCES)
                  .minCapacity(1)
                  .maxCapacity(2));
    }
    List<String> listed =
        moto
            .autoScaling
            .describeScalableTargetsPaginator(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER))
            .scalableTargets()
            .stream()
            .limit(1_000) // a listing that never ends fails the test instead of hanging it
            .map(ScalableTarget::resourceId)
            .toList();
    assertThat(listed).hasSize(123).doesNotHaveDuplicates();
  }

  @Test
  void policiesNeedARegisteredTargetAreFoundByNameAndGoWithTheirTarget() {
    assertThatThrownBy(() -> putStepPolicy("early")).isInstanceOf(ObjectNotFoundException.class);
    register(1, 3);
    putStepPolicy("a");
    putStepPolicy("b");
    moto.autoScaling.putScheduledAction(
        r ->
            r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId(VARIANT)
                .scalableDimension(INSTANCES)
                .scheduledActionName("nightly")
                .schedule("cron(0 1 * * ? *)")
                .scalableTargetAction(a -> a.minCapacity(2).maxCapacity(4)));

    assertThat(
            moto.autoScaling
                .describeScalingPolicies(
                    r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER).policyNames("b"))
                .scalingPolicies())
        .extracting(p -> p.policyName())
        .containsExactly("b");

    moto.autoScaling.deregisterScalableTarget(
        r ->
            r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId(VARIANT)
                .scalableDimension(INSTANCES));
    assertThat(moto.policies()).isEmpty();
    assertThat(moto.scheduledActions()).isEmpty();
    assertThatThrownBy(
            () ->
                moto.autoScaling.deleteScalingPolicy(
                    r ->
                        r.policyName("a")
                            .serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId(VARIANT)
                            .scalableDimension(INSTANCES)))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThat(moto.contractViolations()).isEmpty();
  }

  @Test
  void aScheduleRunsOnTheTestClockSetsTheBoundsScalesIntoThemAndLeavesActivities() {
    moto.createEndpoint("fidelity", "AllTraffic", "ml.c5.large", 1);
    register(1, 2);
    moto.advanceClock(Instant.parse("2030-01-01T12:00:00Z"));
    moto.autoScaling.putScheduledAction(
        r ->
            r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                .resourceId(VARIANT)
                .scalableDimension(INSTANCES)
                .scheduledActionName("burst-open")
                .schedule("cron(0 1 * * ? *)")
                .timezone("Europe/Berlin")
                .scalableTargetAction(a -> a.minCapacity(4).maxCapacity(8)));

    assertThat(moto.advanceClock(Instant.parse("2030-01-01T23:59:00Z"))).isEmpty();
    assertThat(target().minCapacity()).isEqualTo(1);

    // 01:00 in Berlin in winter is 00:00 UTC
    assertThat(moto.advanceClock(Instant.parse("2030-01-02T00:01:00Z")))
        .singleElement()
        .satisfies(
            ran ->
                assertThat(ran)
                    .containsEntry("ScheduledActionName", "burst-open")
                    .containsEntry("at", "2030-01-02T00:00:00+00:00"));
    assertThat(target().minCapacity()).isEqualTo(4);
    assertThat(target().maxCapacity()).isEqualTo(8);
    assertThat(
            moto.sageMaker
                .describeEndpoint(r -> r.endpointName("fidelity"))
                .productionVariants()
                .get(0)
                .currentInstanceCount())
        .isEqualTo(4);
    assertThat(moto.scalingActivities(VARIANT, INSTANCES.toString()))
        .extracting(ScalingActivity::description, ScalingActivity::cause)
        .containsExactlyInAnyOrder(
            Tuple.tuple(
                "Setting min capacity to 4 and max capacity to 8",
                "scheduled action name burst-open was triggered"),
            Tuple.tuple("Setting desired instance count to 4.", "minimum capacity was set to 4"));
    assertThat(moto.contractViolations()).isEmpty();
  }

  @Test
  void notScaledActivitiesShowOnlyToThoseWhoAskForThem() {
    register(1, 4);
    moto.addNotScaledActivity(VARIANT, INSTANCES.toString(), "AlreadyAtMaxCapacity", 4, 4);

    assertThat(
            moto.autoScaling
                .describeScalingActivities(
                    r ->
                        r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                            .resourceId(VARIANT)
                            .scalableDimension(INSTANCES))
                .scalingActivities())
        .isEmpty();
    assertThat(moto.scalingActivities(VARIANT, INSTANCES.toString()))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.statusCodeAsString()).isEqualTo("Failed");
              assertThat(a.notScaledReasons())
                  .singleElement()
                  .satisfies(
                      reason -> {
                        assertThat(reason.code()).isEqualTo("AlreadyAtMaxCapacity");
                        assertThat(reason.maxCapacity()).isEqualTo(4);
                        assertThat(reason.currentCapacity()).isEqualTo(4);
                      });
            });
  }

  @Test
  void setAlarmStateShowsInDescribeAlarmsWithReasonAndTime() {
    putAlarm("cpu-high", 300, 1);
    Instant before = Instant.now().minusSeconds(5);
    moto.setAlarmState("cpu-high", StateValue.ALARM, "Threshold Crossed: a test says so");

    MetricAlarm alarm = moto.alarms().get(0);
    assertThat(alarm.stateValue()).isEqualTo(StateValue.ALARM);
    assertThat(alarm.stateReason()).isEqualTo("Threshold Crossed: a test says so");
    assertThat(alarm.stateUpdatedTimestamp()).isAfter(before);
    assertThat(moto.contractViolations()).isEmpty();
  }
}
