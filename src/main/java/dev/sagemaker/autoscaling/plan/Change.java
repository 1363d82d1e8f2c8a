package dev.sagemaker.autoscaling.plan;

import java.util.List;
import java.util.Map;

/** One AWS write. The list the {@link Differ} returns is in the order AWS needs. */
public sealed interface Change {

  record RegisterTarget(ScalableTarget target, Map<String, String> tags, boolean create) implements Change {}

  record PutPolicy(TargetKey key, ScalingPolicy policy) implements Change {}

  record PutAlarm(Alarm alarm, Map<String, String> tags) implements Change {}

  record PutScheduledAction(TargetKey key, ScheduledAction action) implements Change {}

  record DeleteAlarms(List<String> names) implements Change {}

  record DeletePolicy(TargetKey key, String name) implements Change {}

  record DeleteScheduledAction(TargetKey key, String name) implements Change {}

  record DeregisterTarget(TargetKey key) implements Change {}
}
