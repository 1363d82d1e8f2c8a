package dev.sagemaker.autoscaling.reconcile;

import java.util.Map;

/**
 * The annotations of a namespace, where its admin writes the grants; production reads them from an
 * informer's cache, unit tests from a map.
 */
@FunctionalInterface
public interface NamespaceAnnotations {
  /** The namespace's annotations; empty (never null) when it has none or does not exist. */
  Map<String, String> of(String namespace);
}
