package dev.sagemaker.autoscaling.reconcile;

import java.time.Duration;

/**
 * @param clusterName part of every AWS name the operator writes, so two clusters sharing an account
 *     never take each other's objects
 * @param waitInterval first look again while an endpoint is missing or busy; doubles per look up to
 *     waitMax, with jitter (see {@link WaitBackoff})
 * @param waitMax the longest interval between two looks of a waiting resource
 * @param resync how often every resource is checked against AWS
 * @param retryBase first delay after a recoverable AWS error; doubles up to retryMax, with jitter
 * @param reconcileThreads the reconciler threads JOSDK runs passes on, which {@link PassAdmission}
 *     shares between namespaces
 */
public record ReconcilerSettings(
    String clusterName,
    Duration resync,
    Duration waitInterval,
    Duration waitMax,
    Duration retryBase,
    Duration retryMax,
    int reconcileThreads) {
  public static ReconcilerSettings defaults(String clusterName, Duration resync) {
    return new ReconcilerSettings(
        clusterName,
        resync,
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofSeconds(2),
        Duration.ofMinutes(5),
        10);
  }

  /** The same settings for an operator running {@code threads} reconciler threads. */
  public ReconcilerSettings withReconcileThreads(int threads) {
    return new ReconcilerSettings(
        clusterName, resync, waitInterval, waitMax, retryBase, retryMax, threads);
  }
}
