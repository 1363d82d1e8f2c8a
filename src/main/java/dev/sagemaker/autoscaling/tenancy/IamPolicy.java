package dev.sagemaker.autoscaling.tenancy;

import dev.sagemaker.autoscaling.plan.Owner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The least-privilege IAM policy for the operator of one cluster, as a JSON-ready tree of maps and
 * lists ({@code iam-policy} prints it; deploy/iam-policy.json is its output for a placeholder).
 *
 * <p>Which condition keys each action takes follows the Service Authorization Reference ("Actions,
 * resources, and condition keys for Application Auto Scaling" and "... for Amazon CloudWatch"),
 * checked 2026-12-01:
 *
 * <ul>
 *   <li>application-autoscaling Describe* name no resource type, so they need {@code "*"}.
 *   <li>RegisterScalableTarget, DeregisterScalableTarget, Put/DeleteScalingPolicy and
 *       Put/DeleteScheduledAction act on the {@code scalable-target} resource and take {@code
 *       aws:ResourceTag/${TagKey}}, {@code application-autoscaling:service-namespace} and {@code
 *       application-autoscaling:scalable-dimension}. Policies and scheduled actions have no ARN of
 *       their own: they are authorized against their target, so its owner tag guards them.
 *   <li>{@code aws:RequestTag/${TagKey}} is supported only by RegisterScalableTarget and
 *       TagResource; {@code aws:TagKeys} by RegisterScalableTarget, TagResource and UntagResource.
 *       ListTagsForResource takes the {@code scalable-target} resource.
 *   <li>cloudwatch:PutMetricAlarm acts on {@code alarm} and takes {@code aws:RequestTag}, {@code
 *       aws:TagKeys} and {@code cloudwatch:AlarmActions}; an alarm created with tags also needs
 *       cloudwatch:TagResource (PutMetricAlarm API reference). DeleteAlarms acts on {@code alarm}.
 *       DescribeAlarms is read with {@code "*"}: it lists by prefix.
 *   <li>sts:TagSession takes {@code aws:RequestTag} and {@code aws:TagKeys}.
 * </ul>
 *
 * <p>What IAM cannot tell apart: RegisterScalableTarget that creates a target and one that
 * re-registers an existing target without an owner tag look the same to IAM (no resource tag in
 * both). The policy lets neither touch a target tagged by anyone else; the operator's ownership
 * check (it reads the tag first) keeps it off untagged targets unless adoption is asked for.
 *
 * @param clusterName this cluster's name, as in the owner tag and the {@code smsp_<cluster>_}
 *     prefix
 * @param account the AWS account id, or empty for any ({@code *})
 * @param partition {@code aws}, {@code aws-cn} or {@code aws-us-gov}
 * @param allowAdopt add the statement that lets the operator tag (adopt) untagged targets
 * @param assumeRoleArns role ARN patterns {@code spec.aws.roleArn} may name; empty = no AssumeRole
 */
public record IamPolicy(
    String clusterName,
    Optional<String> account,
    String partition,
    boolean allowAdopt,
    List<String> assumeRoleArns) {
  public static final String VERSION = "2012-10-17";

  public IamPolicy {
    assumeRoleArns = List.copyOf(assumeRoleArns);
    ClusterIdentity.problem(clusterName)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    if (!partition.matches("aws(-[a-z]+)*")) {
      throw new IllegalArgumentException(
          "partition must be aws, aws-cn, aws-us-gov or another aws-* partition, got " + partition);
    }
    account.ifPresent(
        a -> {
          if (!a.matches("[0-9]{12}")) {
            throw new IllegalArgumentException("account must be 12 digits, got " + a);
          }
        });
    for (String arn : assumeRoleArns) {
      if (!arn.matches("arn:aws[a-z-]*:iam::([0-9]{12}|\\*):role/[\\w+=,.@/*-]+")) {
        throw new IllegalArgumentException("not an IAM role ARN (pattern): " + arn);
      }
    }
  }

  /** The policy document: {@code Version} and {@code Statement}, in a stable order. */
  public Map<String, Object> document() {
    String acct = account.orElse("*");
    String targets =
        "arn:" + partition + ":application-autoscaling:*:" + acct + ":scalable-target/*";
    String alarms =
        "arn:" + partition + ":cloudwatch:*:" + acct + ":alarm:smsp_" + clusterName + "_*";
    String ownedByThisCluster = clusterName + "/*";
    List<Map<String, Object>> statements = new ArrayList<>();

    statements.add(
        statement(
            "ReadScalingState",
            List.of(
                "application-autoscaling:DescribeScalableTargets",
                "application-autoscaling:DescribeScalingPolicies",
                "application-autoscaling:DescribeScheduledActions",
                "application-autoscaling:DescribeScalingActivities"),
            "*",
            null));
    statements.add(
        statement(
            "ReadScalableTargetOwnerTags",
            List.of("application-autoscaling:ListTagsForResource"),
            targets,
            null));
    statements.add(
        statement(
            "CreateScalableTargetsTaggedForThisCluster",
            List.of("application-autoscaling:RegisterScalableTarget"),
            targets,
            conditions(
                condition("StringEquals", "application-autoscaling:service-namespace", "sagemaker"),
                condition("StringLike", "aws:RequestTag/" + Owner.TAG_KEY, ownedByThisCluster),
                condition("ForAllValues:StringEquals", "aws:TagKeys", List.of(Owner.TAG_KEY)),
                condition("Null", "aws:ResourceTag/" + Owner.TAG_KEY, "true"))));
    statements.add(
        statement(
            "ManageScalableTargetsThisClusterOwns",
            List.of(
                "application-autoscaling:RegisterScalableTarget",
                "application-autoscaling:DeregisterScalableTarget",
                "application-autoscaling:PutScalingPolicy",
                "application-autoscaling:DeleteScalingPolicy",
                "application-autoscaling:PutScheduledAction",
                "application-autoscaling:DeleteScheduledAction"),
            targets,
            conditions(
                condition("StringEquals", "application-autoscaling:service-namespace", "sagemaker"),
                condition("StringLike", "aws:ResourceTag/" + Owner.TAG_KEY, ownedByThisCluster))));
    if (allowAdopt) {
      statements.add(
          statement(
              "AdoptScalableTargetsNoOwnerTagged",
              List.of("application-autoscaling:TagResource"),
              targets,
              conditions(
                  condition("Null", "aws:ResourceTag/" + Owner.TAG_KEY, "true"),
                  condition("StringLike", "aws:RequestTag/" + Owner.TAG_KEY, ownedByThisCluster),
                  condition("ForAllValues:StringEquals", "aws:TagKeys", List.of(Owner.TAG_KEY)))));
    }
    statements.add(statement("ReadAlarms", List.of("cloudwatch:DescribeAlarms"), "*", null));
    statements.add(
        statement(
            "PutThisClustersAlarmsThatOnlyTriggerItsScalingPolicies",
            List.of("cloudwatch:PutMetricAlarm"),
            alarms,
            conditions(
                condition(
                    "ForAllValues:StringLike",
                    "cloudwatch:AlarmActions",
                    "arn:"
                        + partition
                        + ":autoscaling:*:"
                        + acct
                        + ":scalingPolicy:*:resource/sagemaker/*:policyName/smsp_"
                        + clusterName
                        + "_*"),
                condition("ForAllValues:StringEquals", "aws:TagKeys", List.of(Owner.TAG_KEY)),
                condition(
                    "StringLikeIfExists", "aws:RequestTag/" + Owner.TAG_KEY, ownedByThisCluster))));
    statements.add(
        statement(
            "TagThisClustersAlarmsWithTheOwnerTagOnly",
            List.of("cloudwatch:TagResource"),
            alarms,
            conditions(
                condition("ForAllValues:StringEquals", "aws:TagKeys", List.of(Owner.TAG_KEY)),
                condition("StringLike", "aws:RequestTag/" + Owner.TAG_KEY, ownedByThisCluster))));
    statements.add(
        statement("DeleteThisClustersAlarms", List.of("cloudwatch:DeleteAlarms"), alarms, null));
    statements.add(
        statement(
            "ReadSageMakerEndpoints",
            List.of(
                "sagemaker:DescribeEndpoint",
                "sagemaker:DescribeEndpointConfig",
                "sagemaker:DescribeInferenceComponent"),
            List.of(
                "arn:" + partition + ":sagemaker:*:" + acct + ":endpoint/*",
                "arn:" + partition + ":sagemaker:*:" + acct + ":endpoint-config/*",
                "arn:" + partition + ":sagemaker:*:" + acct + ":inference-component/*"),
            null));
    // The list actions have no resource type in IAM: they are granted on "*" or not at all.
    statements.add(
        statement(
            "ListSageMakerEndpoints",
            List.of("sagemaker:ListEndpoints", "sagemaker:ListInferenceComponents"),
            "*",
            null));
    // RegisterScalableTarget creates SageMaker's service-linked role on first use in an account.
    statements.add(
        statement(
            "CreateSageMakerScalingServiceLinkedRole",
            List.of("iam:CreateServiceLinkedRole"),
            "arn:"
                + partition
                + ":iam::"
                + acct
                + ":role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
                + "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
            conditions(
                condition(
                    "StringLike",
                    "iam:AWSServiceName",
                    "sagemaker.application-autoscaling.amazonaws.com"))));
    if (!assumeRoleArns.isEmpty()) {
      statements.add(
          statement(
              "AssumeGrantedRolesAsTheResource",
              List.of("sts:AssumeRole"),
              List.copyOf(assumeRoleArns),
              null));
      statements.add(
          statement(
              "TagSessionsWithTheResourceAndThisCluster",
              List.of("sts:TagSession"),
              List.copyOf(assumeRoleArns),
              conditions(
                  condition(
                      "ForAllValues:StringEquals",
                      "aws:TagKeys",
                      List.of(
                          SessionIdentity.TAG_NAMESPACE,
                          SessionIdentity.TAG_NAME,
                          SessionIdentity.TAG_CLUSTER)),
                  condition(
                      "StringEquals",
                      "aws:RequestTag/" + SessionIdentity.TAG_CLUSTER,
                      clusterName))));
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("Version", VERSION);
    document.put("Statement", statements);
    return document;
  }

  private static Map<String, Object> statement(
      String sid, List<String> actions, Object resource, Map<String, Object> condition) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Sid", sid);
    s.put("Effect", "Allow");
    s.put("Action", actions.size() == 1 ? actions.get(0) : actions);
    s.put("Resource", resource);
    if (condition != null) {
      s.put("Condition", condition);
    }
    return s;
  }

  private record Condition(String operator, String key, Object value) {}

  private static Condition condition(String operator, String key, Object value) {
    return new Condition(operator, key, value);
  }

  /** IAM groups conditions by operator: {@code {"StringLike": {"key": value, ...}, ...}}. */
  private static Map<String, Object> conditions(Condition... conditions) {
    Map<String, Object> byOperator = new LinkedHashMap<>();
    for (Condition c : conditions) {
      @SuppressWarnings("unchecked")
      Map<String, Object> keys =
          (Map<String, Object>)
              byOperator.computeIfAbsent(c.operator(), o -> new LinkedHashMap<String, Object>());
      keys.put(c.key(), c.value());
    }
    return byOperator;
  }
}
