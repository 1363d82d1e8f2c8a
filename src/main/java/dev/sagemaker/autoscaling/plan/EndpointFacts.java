package dev.sagemaker.autoscaling.plan;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
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

  /** Neither InService-bound nor scaling: what was described stays true until it is modified. */
  public boolean settled() {
    return inService() && Objects.equals(currentCapacity, desiredCapacity);
  }

  /**
   * One endpoint as a list call shows it: enough to tell whether a description read before is still
   * current, not its variants or capacity.
   */
  public record Listing(String status, Instant lastModified) {}
}
