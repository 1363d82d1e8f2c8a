package dev.sagemaker.autoscaling.api.v1alpha1;

/**
 * Every bound of the spec, in one place: the CRD's schema and CEL rules (through the annotations on
 * the spec classes) and the planner's validator read the same constants, so admission and {@code
 * plan} cannot disagree. Each says where the number comes from.
 */
public final class SpecLimits {
  private SpecLimits() {}

  /** Application Auto Scaling quota: scaling policies per scalable target. */
  public static final int MAX_POLICIES_PER_TARGET = 50;

  /** Each stepScaling item may become two policies, so half the policy quota. */
  public static final int MAX_STEP_SCALING_ITEMS = MAX_POLICIES_PER_TARGET / 2;

  /** Application Auto Scaling quota: scheduled actions per scalable target. */
  public static final int MAX_SCHEDULES = 200;

  /** The AWS CDK's StepScalingPolicy takes 2 to 40 scalingSteps. */
  public static final int MIN_STEPS = 2;

  public static final int MAX_STEPS = 40;

  /** Application Auto Scaling: step adjustments per step policy, so per side of the split. */
  public static final int MAX_STEPS_PER_SIDE = 20;

  /** Item names are DNS labels: the AWS names derived from them must stay readable. */
  public static final int MAX_ITEM_NAME_LENGTH = 63;

  /** CloudWatch AlarmName is at most 255 characters (PolicyName and ScheduledActionName 256). */
  public static final int MAX_AWS_NAME_LENGTH = 255;

  /**
   * The operator's own ceiling on capacities. ResourceCapacity is an unbounded integer in the AWS
   * model; no SageMaker quota comes near this, and it keeps every capacity far inside a Java int.
   */
  public static final int MAX_CAPACITY = 100_000;

  /**
   * The operator's ceiling on cooldowns (one day). Cooldown is an unbounded integer in the AWS
   * model; the bound keeps the value inside a Java int and refuses what can only be a typo.
   */
  public static final int MAX_COOLDOWN_SECONDS = 86_400;

  /**
   * Bound of a step's change and of minAdjustmentMagnitude. ScalingAdjustment is an unbounded
   * integer in the AWS model: capacities stop at {@link #MAX_CAPACITY}, and a percent change of a
   * thousand times the capacity means nothing more than one of a hundred times.
   */
  public static final int MAX_STEP_CHANGE = MAX_CAPACITY;

  /**
   * Bound of metric values (step bounds, target values): a quadrillion, enough for byte counts up
   * to a petabyte. CloudWatch itself accepts values up to 2^360 (PutMetricData), but the API server
   * turns a whole-number schema maximum into a 64-bit integer, and 1e108 wraps around to a negative
   * bound that refuses every value; 1e15 stays exact.
   */
  public static final double MAX_METRIC_VALUE = 1e15;

  /** CloudWatch: a period of 10, 20 or 30 s (high resolution) or a multiple of 60. */
  public static final int MIN_PERIOD_SECONDS = 10;

  /**
   * CloudWatch: an alarm's evaluation window (period times evaluationPeriods) is at most 7 days.
   */
  public static final int MAX_EVALUATION_WINDOW_SECONDS = 604_800;

  /** CloudWatch: ... and at most one day for periods under one hour. */
  public static final int MAX_SHORT_PERIOD_WINDOW_SECONDS = 86_400;

  /** CloudWatch: the periods from which the 7-day window applies. */
  public static final int LONG_PERIOD_SECONDS = 3_600;

  public static final int MAX_PERIOD_SECONDS = MAX_EVALUATION_WINDOW_SECONDS;

  /**
   * The most evaluationPeriods (and datapointsToAlarm) any period allows: 10 s periods in a one-day
   * window (longer periods allow fewer; the CEL rule and the validator check the product).
   */
  public static final int MAX_EVALUATION_PERIODS =
      MAX_SHORT_PERIOD_WINDOW_SECONDS / MIN_PERIOD_SECONDS;

  /** CloudWatch: dimensions per metric. */
  public static final int MAX_DIMENSIONS = 30;

  /** Application Auto Scaling: metric data queries of a customized metric. */
  public static final int MAX_METRIC_QUERIES = 10;

  /** CloudWatch Namespace, MetricName, DimensionName and MetricId are at most 255 characters. */
  public static final int MAX_METRIC_NAME_LENGTH = 255;

  /** CloudWatch DimensionValue is at most 1024 characters. */
  public static final int MAX_DIMENSION_VALUE_LENGTH = 1024;

  /** CloudWatch MetricExpression is at most 2048 characters; labels get the same room. */
  public static final int MAX_EXPRESSION_LENGTH = 2048;

  /** SageMaker endpoint, variant and inference component names: 1 to 63 characters. */
  public static final int MAX_SAGEMAKER_NAME_LENGTH = 63;

  /** Longest schedule expression the operator accepts (cron with six fields fits easily). */
  public static final int MAX_SCHEDULE_LENGTH = 256;

  /** IANA time zone names are short; the longest in tzdata is about 30 characters. */
  public static final int MAX_TIMEZONE_LENGTH = 64;

  /** RFC 3339 with nanoseconds and an offset: 35 characters. */
  public static final int MAX_TIME_LENGTH = 40;

  /** AWS region names such as ap-southeast-4 or us-gov-west-1. */
  public static final int MAX_REGION_LENGTH = 32;

  /** SageMaker endpoint, variant and inference component names: letters, digits, hyphens. */
  public static final String SAGEMAKER_NAME_PATTERN =
      "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0," + (MAX_SAGEMAKER_NAME_LENGTH - 1) + "}$";

  /** Item names: DNS labels, so no underscore can make two owners' AWS names collide. */
  public static final String ITEM_NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /**
   * Application Auto Scaling schedule expressions: at(), rate() and six-field cron(). A rate's
   * value is bounded (at most 999999, over 2,700 years in days): an unbounded number of digits
   * passes the pattern but no scheduler can hold it, and the call would fail on every pass.
   */
  public static final String SCHEDULE_PATTERN =
      "^(at\\([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\)"
          + "|rate\\([1-9][0-9]{0,5} (minute|minutes|hour|hours|day|days)\\)"
          + "|cron\\([^ ()]+( [^ ()]+){5}\\))$";

  /** IAM role ARN: the role path and name take at most 512 characters, the ARN's head about 50. */
  public static final int MAX_ROLE_ARN_LENGTH = 2048;
}
