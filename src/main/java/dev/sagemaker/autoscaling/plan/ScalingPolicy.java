package dev.sagemaker.autoscaling.plan;

public record ScalingPolicy(String name, PolicyConfig config) {}
