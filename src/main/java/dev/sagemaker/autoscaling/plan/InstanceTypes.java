package dev.sagemaker.autoscaling.plan;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vCPU and GPU counts of SageMaker instance types, for the per-core and per-GPU metrics, as EC2
 * publishes them for the instance type of the same name
 * (https://aws.amazon.com/ec2/instance-types/, "Accelerated computing" for the GPUs). vCPUs follow
 * the size (medium = 1, large = 2, xlarge = 4, Nxlarge = 4N) except where listed; GPUs are listed
 * per type.
 */
public final class InstanceTypes {
  private static final Pattern TYPE =
      Pattern.compile("^ml\\.([a-z0-9-]+)\\.([0-9]*)(medium|large|xlarge)$");
  private static final Map<String, Integer> VCPU_EXCEPTIONS =
      // Burstable mediums have 2 vCPUs; c4.8xlarge has 36, not 4 x 8.
      Map.of("ml.t2.medium", 2, "ml.t3.medium", 2, "ml.c4.8xlarge", 36);
  private static final Map<String, Integer> GPUS =
      Map.ofEntries(
          Map.entry("ml.g4dn.xlarge", 1),
          Map.entry("ml.g4dn.2xlarge", 1),
          Map.entry("ml.g4dn.4xlarge", 1),
          Map.entry("ml.g4dn.8xlarge", 1),
          Map.entry("ml.g4dn.16xlarge", 1),
          Map.entry("ml.g4dn.12xlarge", 4),
          Map.entry("ml.g5.xlarge", 1),
          Map.entry("ml.g5.2xlarge", 1),
          Map.entry("ml.g5.4xlarge", 1),
          Map.entry("ml.g5.8xlarge", 1),
          Map.entry("ml.g5.16xlarge", 1),
          Map.entry("ml.g5.12xlarge", 4),
          Map.entry("ml.g5.24xlarge", 4),
          Map.entry("ml.g5.48xlarge", 8),
          Map.entry("ml.g6.xlarge", 1),
          Map.entry("ml.g6.2xlarge", 1),
          Map.entry("ml.g6.4xlarge", 1),
          Map.entry("ml.g6.8xlarge", 1),
          Map.entry("ml.g6.16xlarge", 1),
          Map.entry("ml.g6.12xlarge", 4),
          Map.entry("ml.g6.24xlarge", 4),
          Map.entry("ml.g6.48xlarge", 8),
          Map.entry("ml.p2.xlarge", 1),
          Map.entry("ml.p2.8xlarge", 8),
          Map.entry("ml.p2.16xlarge", 16),
          Map.entry("ml.p3.2xlarge", 1),
          Map.entry("ml.p3.8xlarge", 4),
          Map.entry("ml.p3.16xlarge", 8),
          Map.entry("ml.p3dn.24xlarge", 8),
          Map.entry("ml.p4d.24xlarge", 8),
          Map.entry("ml.p4de.24xlarge", 8),
          Map.entry("ml.p5.48xlarge", 8));

  private InstanceTypes() {}

  public static Optional<Integer> vcpus(String instanceType) {
    if (instanceType == null) {
      return Optional.empty();
    }
    if (VCPU_EXCEPTIONS.containsKey(instanceType)) {
      return Optional.of(VCPU_EXCEPTIONS.get(instanceType));
    }
    Matcher m = TYPE.matcher(instanceType);
    if (!m.matches()) {
      return Optional.empty();
    }
    int multiplier = m.group(2).isEmpty() ? 1 : Integer.parseInt(m.group(2));
    return switch (m.group(3)) {
      case "medium" -> m.group(2).isEmpty() ? Optional.of(1) : Optional.empty();
      case "large" -> m.group(2).isEmpty() ? Optional.of(2) : Optional.empty();
      default -> Optional.of(4 * multiplier);
    };
  }

  public static Optional<Integer> gpus(String instanceType) {
    return Optional.ofNullable(GPUS.get(instanceType));
  }
}
