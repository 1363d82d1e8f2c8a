package dev.sagemaker.autoscaling.plan;

import dev.sagemaker.autoscaling.api.v1alpha1.SpecLimits;
import java.util.Map;

/**
 * The resource that owns a set of AWS objects, and the names it gives them.
 *
 * <p>Every name starts with {@code smsp_<cluster>_<namespace>_<name>_}. Kubernetes names and the
 * cluster name cannot contain an underscore, so the prefix identifies exactly one resource, and an
 * object whose name lacks it is never ours. Item names cannot contain one either, so the suffixes
 * added for step sides and scale-from-zero cannot collide with another item.
 */
public record Owner(String cluster, String namespace, String name) {
  public static final String TAG_KEY = "autoscaling.sagemaker.dev/owner";

  /** AWS limits alarm names to 255 characters; policy and scheduled action names to 256. */
  public static final int MAX_NAME_LENGTH = SpecLimits.MAX_AWS_NAME_LENGTH;

  public String prefix() {
    return "smsp_" + cluster + "_" + namespace + "_" + name + "_";
  }

  public boolean owns(String awsName) {
    return awsName != null && awsName.startsWith(prefix());
  }

  public String tagValue() {
    return cluster + "/" + namespace + "/" + name;
  }

  public Map<String, String> tags() {
    return Map.of(TAG_KEY, tagValue());
  }

  public String targetTrackingPolicy(String item) {
    return prefix() + item;
  }

  public String stepPolicy(String item, StepBands.Side side) {
    return prefix() + item + "_" + side.suffix();
  }

  public String scheduledAction(String item) {
    return prefix() + item;
  }

  /** Upper-case, so no user item (lowercase by schema) can take the same name. */
  public String scaleFromZeroPolicy() {
    return prefix() + "ScaleFromZero";
  }
}
