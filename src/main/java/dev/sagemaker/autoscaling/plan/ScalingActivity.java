package dev.sagemaker.autoscaling.plan;

import java.time.Instant;

/** One recent Application Auto Scaling activity on a target, as AWS reports it. */
public record ScalingActivity(
    Instant startTime, String statusCode, String description, String cause) {}
