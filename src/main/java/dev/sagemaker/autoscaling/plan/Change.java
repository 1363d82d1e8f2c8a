package dev.sagemaker.autoscaling.plan;

import java.util.List;
import java.util.Map;

/** One AWS write. The list the {@link Differ} returns is in the order AWS needs. */
public sealed interface Change {

  /** The AWS API operation this change is sent as, spelled as the API reference spells it. */
  String operation();

  /** What the change writes, for logs and events: the target's resource id or the object's name. */
  String subject();

  record RegisterTarget(ScalableTarget target, Map<String, String> tags, boolean create)
      implements Change {
    @Override
    public String operation() {
      return "RegisterScalableTarget";
    }

    @Override
    public String subject() {
      return target.key().resourceId();
    }
  }

  record PutPolicy(TargetKey key, ScalingPolicy policy) implements Change {
    @Override
    public String operation() {
      return "PutScalingPolicy";
    }

    @Override
    public String subject() {
      return policy.name();
    }
  }

  record PutAlarm(Alarm alarm, Map<String, String> tags) implements Change {
    @Override
    public String operation() {
      return "PutMetricAlarm";
    }

    @Override
    public String subject() {
      return alarm.name();
    }
  }

  record PutScheduledAction(TargetKey key, ScheduledAction action) implements Change {
    @Override
    public String operation() {
      return "PutScheduledAction";
    }

    @Override
    public String subject() {
      return action.name();
    }
  }

  record DeleteAlarms(List<String> names) implements Change {
    @Override
    public String operation() {
      return "DeleteAlarms";
    }

    @Override
    public String subject() {
      return String.join(",", names);
    }
  }

  record DeletePolicy(TargetKey key, String name) implements Change {
    @Override
    public String operation() {
      return "DeleteScalingPolicy";
    }

    @Override
    public String subject() {
      return name;
    }
  }

  record DeleteScheduledAction(TargetKey key, String name) implements Change {
    @Override
    public String operation() {
      return "DeleteScheduledAction";
    }

    @Override
    public String subject() {
      return name;
    }
  }

  record DeregisterTarget(TargetKey key) implements Change {
    @Override
    public String operation() {
      return "DeregisterScalableTarget";
    }

    @Override
    public String subject() {
      return key.resourceId();
    }
  }
}
