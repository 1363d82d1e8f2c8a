package dev.sagemaker.autoscaling.reconcile;

import java.time.Duration;

/**
 * @param clusterName part of every AWS name the operator writes, so two clusters sharing an account
 *     never take each other's objects
 * @param waitInterval how often to look again while an endpoint is missing or busy
 * @param retryBase first delay after a recoverable AWS error; doubles up to retryMax, with jitter
 */
public record ReconcilerSettings(String clusterName, Duration waitInterval, Duration retryBase, Duration retryMax) {
  public static ReconcilerSettings defaults(String clusterName) {
    return new ReconcilerSettings(clusterName, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(5));
  }
}
