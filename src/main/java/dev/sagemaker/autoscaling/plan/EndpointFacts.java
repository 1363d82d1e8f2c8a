package dev.sagemaker.autoscaling.plan;

import java.util.List;
import java.util.Optional;

/** What the operator reads of the scaled SageMaker resource before planning. */
public record EndpointFacts(
    String status,
    boolean targetPresent,
    List<String> availableTargets,
    Integer currentCapacity,
    Integer desiredCapacity,
    Optional<String> instanceType) {
  public static final String IN_SERVICE = "InService";

  public EndpointFacts {
    availableTargets = List.copyOf(availableTargets);
  }

  public boolean inService() {
    return IN_SERVICE.equals(status);
  }
}
