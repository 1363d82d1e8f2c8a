package dev.sagemaker.autoscaling.aws;

import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.EndpointFacts;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedTarget;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS calls the operator makes, in domain terms. Every failure surfaces as an {@link
 * AwsApiException} with its kind; missing objects on reads are empty results instead.
 */
public interface ScalingApi {

  /** The endpoint and the named variant; instance type only when asked (one more call). */
  Optional<EndpointFacts> describeEndpoint(
      String endpointName, String variantName, boolean withInstanceType);

  Optional<EndpointFacts> describeInferenceComponent(String componentName);

  /**
   * Every endpoint of the region with its status and last modification (100 per call): tells which
   * descriptions read before are still current.
   */
  Map<String, EndpointFacts.Listing> listEndpoints();

  /**
   * Every inference component of the region with its status and last modification (100 per call):
   * tells which component descriptions read before are still current.
   */
  Map<String, EndpointFacts.Listing> listInferenceComponents();

  Optional<ObservedTarget> describeTarget(TargetKey key);

  /** The owner tag of a scalable target, or empty when it has none. */
  Optional<String> targetOwnerTag(String targetArn);

  /**
   * Records an owner on a target registered before (adoption); AWS applies tags only at creation.
   */
  void tagTarget(String targetArn, Map<String, String> tags);

  List<ObservedPolicy> describePolicies(TargetKey key);

  List<ObservedAlarm> describeAlarms(String namePrefix);

  /**
   * The states of the named alarms (100 names per DescribeAlarms call), for alarms we only read,
   * such as those AWS creates for target-tracking policies; an alarm that does not exist is left
   * out.
   */
  Map<String, AlarmState> describeAlarmStates(Collection<String> names);

  List<ScheduledAction> describeScheduledActions(TargetKey key);

  /** The registered targets among keys, for many resources at once (50 resource ids per call). */
  Map<TargetKey, ObservedTarget> describeTargets(Collection<TargetKey> keys);

  /** Every scalable target in the sagemaker namespace (50 per call). */
  Map<TargetKey, ObservedTarget> describeAllTargets();

  /** Every scaling policy in the sagemaker namespace, by target (10 per call on AWS). */
  Map<TargetKey, List<ObservedPolicy>> describeAllPolicies();

  /** Every scheduled action in the sagemaker namespace, by target (50 per call). */
  Map<TargetKey, List<ScheduledAction>> describeAllScheduledActions();

  /** The target's latest scaling activities, newest first; empty where AWS offers none. */
  List<ScalingActivity> describeRecentActivities(TargetKey key, int max);

  /** Returns the target's ARN (AWS applies {@code tags} only when it creates the target). */
  String registerTarget(ScalableTarget target, Map<String, String> tags, boolean create);

  /** Returns the policy's ARN. */
  String putPolicy(TargetKey key, ScalingPolicy policy);

  void putAlarm(Alarm alarm, String policyArn, Map<String, String> tags);

  void putScheduledAction(TargetKey key, ScheduledAction action);

  /**
   * Deletes tolerate objects already gone. For alarms this matters beyond a retry: one call carries
   * the names of several resources (see {@code AlarmDeletions}), and CloudWatch still deletes the
   * names that exist when it answers ResourceNotFound for the others.
   */
  void deleteAlarms(List<String> names);

  void deletePolicy(TargetKey key, String name);

  void deleteScheduledAction(TargetKey key, String name);

  void deregisterTarget(TargetKey key);
}
