package dev.sagemaker.autoscaling.plan;

/** The registered target: only bounds and suspension, never a desired capacity. */
public record ScalableTarget(
    TargetKey key, int minCapacity, int maxCapacity, Suspension suspension) {}
