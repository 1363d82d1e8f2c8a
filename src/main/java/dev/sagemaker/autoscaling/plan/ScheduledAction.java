package dev.sagemaker.autoscaling.plan;

import java.time.Instant;

public record ScheduledAction(
    String name,
    String schedule,
    String timezone,
    Instant startTime,
    Instant endTime,
    Integer minCapacity,
    Integer maxCapacity) {}
