package dev.sagemaker.autoscaling.simulate;

import java.time.Instant;
import java.util.Map;

/**
 * What a replay cost and how well it kept up.
 *
 * @param capacityHours desired capacity integrated over time (instances are billed from launch)
 * @param cost capacityHours × price, null without a price
 * @param peakMetric the highest per-capacity value of each policy metric
 * @param minutesAboveTarget per target-tracking policy, minutes its metric exceeded the target: an
 *     overload proxy
 * @param scalingActions changes of desired capacity made by scaling policies
 * @param scheduledActions scheduled actions that fired
 * @param minutesAtMax minutes the desired capacity sat at the maximum
 * @param minutesWithoutCapacity minutes load arrived while no capacity was in service
 */
public record Summary(
    Instant start,
    int minutes,
    String capacityUnit,
    double capacityHours,
    Double cost,
    Map<String, Double> peakMetric,
    Map<String, Integer> minutesAboveTarget,
    int scalingActions,
    int scaleOuts,
    int scaleIns,
    int scheduledActions,
    int minutesAtMax,
    int minutesWithoutCapacity,
    int peakCapacity) {}
