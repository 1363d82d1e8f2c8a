package dev.sagemaker.autoscaling.cli;

import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.EffectiveValue;
import dev.sagemaker.autoscaling.plan.MetricSource;
import dev.sagemaker.autoscaling.plan.Plan;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import java.util.Locale;
import java.util.Optional;

/**
 * Says in words, per policy, when it fires and what it does, and where every value the spec did not
 * write came from (an AWS default, the AWS CDK's default, the operator's).
 */
final class PlanExplainer {
  private PlanExplainer() {}

  static String explain(String resource, Plan.Valid plan) {
    DesiredState desired = plan.desired();
    StringBuilder s = new StringBuilder();
    s.append(resource)
        .append(": scalable target ")
        .append(desired.target().key().resourceId())
        .append(" (")
        .append(desired.target().key().scalableDimension())
        .append("), capacity ")
        .append(desired.target().minCapacity())
        .append(" to ")
        .append(desired.target().maxCapacity())
        .append('\n');
    s.append(
        "  (values are the spec's unless a line 'field = value (origin: why)' says otherwise)\n");
    defaults(s, plan, "target");
    for (ScalingPolicy policy : desired.policies()) {
      s.append("  policy ").append(policy.name()).append('\n');
      if (policy.config() instanceof PolicyConfig.TargetTracking tt) {
        s.append(
            String.format(
                Locale.ROOT,
                "    keeps %s at %s: adds capacity when above (then waits %s), removes it when"
                    + " below (then waits %s)%s%n",
                metric(tt.metric()),
                number(tt.targetValue()),
                seconds(tt.scaleOutCooldown()),
                seconds(tt.scaleInCooldown()),
                tt.disableScaleIn() ? "; never scales in" : ""));
      } else if (policy.config() instanceof PolicyConfig.StepScaling step) {
        Optional<Alarm> alarm =
            desired.alarms().stream().filter(a -> a.policyName().equals(policy.name())).findFirst();
        alarm.ifPresent(
            a ->
                s.append(
                    String.format(
                        Locale.ROOT,
                        "    fires when alarm %s sees %s %s %s in %d of %d periods of %d s%n",
                        a.name(),
                        metric(a.metric()),
                        operator(a.comparisonOperator()),
                        number(a.threshold()),
                        a.datapointsToAlarm(),
                        a.evaluationPeriods(),
                        a.periodSeconds())));
        double threshold = alarm.map(Alarm::threshold).orElse(0.0);
        for (PolicyConfig.StepAdjustment adj : step.adjustments()) {
          String from = adj.lowerBound() == null ? "-∞" : number(threshold + adj.lowerBound());
          String to = adj.upperBound() == null ? "+∞" : number(threshold + adj.upperBound());
          s.append(
              String.format(
                  Locale.ROOT,
                  "      metric %s to %s: %s%n",
                  from,
                  to,
                  change(step.adjustmentType(), adj.scalingAdjustment())));
        }
        s.append("      then waits ").append(seconds(step.cooldown())).append('\n');
      }
      defaults(s, plan, policy.name());
    }
    for (ScheduledAction action : desired.scheduledActions()) {
      s.append("  schedule ")
          .append(action.name())
          .append(": at ")
          .append(action.schedule())
          .append(action.timezone() == null ? " UTC" : " " + action.timezone())
          .append(" sets min ")
          .append(action.minCapacity() == null ? "(unchanged)" : action.minCapacity())
          .append(", max ")
          .append(action.maxCapacity() == null ? "(unchanged)" : action.maxCapacity())
          .append('\n');
      defaults(s, plan, action.name());
    }
    return s.toString();
  }

  /**
   * Every value of the object the spec left out, with its origin; what is not listed is the spec's.
   */
  private static void defaults(StringBuilder s, Plan.Valid plan, String object) {
    for (EffectiveValue value : plan.effectiveValues()) {
      if (value.object().equals(object)) {
        s.append(
            String.format(
                Locale.ROOT,
                "    %s = %s (%s: %s)%n",
                value.field(),
                value.value(),
                value.origin().label(),
                value.note()));
      }
    }
  }

  /** A cooldown; null means the request leaves it out and AWS applies its default. */
  private static String seconds(Integer cooldown) {
    return cooldown == null ? "300 s, AWS's default" : cooldown + " s";
  }

  private static String metric(MetricSource source) {
    if (source instanceof MetricSource.Predefined p) {
      return p.type();
    }
    if (source instanceof MetricSource.CloudWatch cw) {
      return cw.statistic() + " " + cw.namespace() + " " + cw.name();
    }
    MetricSource.MetricMath math = (MetricSource.MetricMath) source;
    return math.queries().stream()
        .filter(q -> Boolean.TRUE.equals(q.returnData()))
        .map(q -> q.label() != null ? q.label() : q.expression())
        .findFirst()
        .orElse("metric math");
  }

  private static String operator(String comparison) {
    return switch (comparison) {
      case "GreaterThanOrEqualToThreshold" -> "≥";
      case "GreaterThanThreshold" -> ">";
      case "LessThanThreshold" -> "<";
      default -> "≤";
    };
  }

  private static String change(String type, int adjustment) {
    return switch (type) {
      case "ExactCapacity" -> "set capacity to " + adjustment;
      case "PercentChangeInCapacity" ->
          (adjustment >= 0 ? "add " : "remove ") + Math.abs(adjustment) + "% of capacity";
      default -> (adjustment >= 0 ? "add " : "remove ") + Math.abs(adjustment);
    };
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
