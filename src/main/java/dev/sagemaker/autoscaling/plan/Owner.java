package dev.sagemaker.autoscaling.plan;

import dev.sagemaker.autoscaling.api.v1alpha1.SpecLimits;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource that owns a set of AWS objects, and the names it gives them.
 *
 * <p>Every name starts with {@code smsp_<cluster>_<namespace>_<name>_}. Kubernetes names and the
 * cluster name cannot contain an underscore, so the prefix identifies exactly one resource, and an
 * object whose name lacks it is never ours. Item names cannot contain one either, so the suffixes
 * added for step sides and scale-from-zero cannot collide with another item.
 *
 * <p>The name prefix says which resource an object is meant for; the owner mark says which resource
 * holds it: {@code <cluster>/<namespace>/<name>/<uid>}, as the scalable target's owner tag and at
 * the end of every alarm's description (DescribeAlarms returns it, so checking an alarm costs no
 * read of its own). The UID tells apart two resources with one prefix: the same namespace and name
 * in two clusters given the same name, or a resource deleted with Retain and created again.
 *
 * @param uid the resource's UID; null only where no resource exists ({@code plan}, {@code
 *     simulate}), which marks with the prefix's parts alone
 */
public record Owner(String cluster, String namespace, String name, String uid) {
  public static final String TAG_KEY = "autoscaling.sagemaker.dev/owner";

  /** Application Auto Scaling and CloudWatch tag values are at most 256 characters. */
  public static final int MAX_MARK_LENGTH = 256;

  private static final String MARK_LEAD = " (managed by sagemaker-autoscaling-operator for ";
  private static final Pattern MARK_IN_DESCRIPTION =
      Pattern.compile(Pattern.quote(MARK_LEAD) + "([^()]*)\\)$");

  /** An owner with no resource behind it (offline planning). */
  public Owner(String cluster, String namespace, String name) {
    this(cluster, namespace, name, null);
  }

  /** AWS limits alarm names to 255 characters; policy and scheduled action names to 256. */
  public static final int MAX_NAME_LENGTH = SpecLimits.MAX_AWS_NAME_LENGTH;

  public String prefix() {
    return "smsp_" + cluster + "_" + namespace + "_" + name + "_";
  }

  public boolean owns(String awsName) {
    return awsName != null && awsName.startsWith(prefix());
  }

  /**
   * {@code <cluster>/<namespace>/<name>/<uid>}; past 256 characters the namespace and name are cut
   * (the UID alone tells resources apart, and the cluster stays first for IAM's {@code <cluster>/*}
   * conditions).
   */
  public String mark() {
    String resource = namespace + "/" + name;
    if (uid == null) {
      return cluster + "/" + resource;
    }
    int room = MAX_MARK_LENGTH - cluster.length() - uid.length() - 2;
    if (resource.length() > room) {
      resource = resource.substring(0, room - 1) + "~";
    }
    return cluster + "/" + resource + "/" + uid;
  }

  /** The owner tag's value: the mark. */
  public String tagValue() {
    return mark();
  }

  public Map<String, String> tags() {
    return Map.of(TAG_KEY, tagValue());
  }

  /** An alarm description that ends with this owner's mark. */
  public String markedDescription(String text) {
    return text + MARK_LEAD + mark() + ")";
  }

  /** The owner mark at the end of an alarm description, if it has one. */
  public static Optional<String> markIn(String description) {
    if (description == null) {
      return Optional.empty();
    }
    Matcher m = MARK_IN_DESCRIPTION.matcher(description);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
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
