package dev.sagemaker.autoscaling.tenancy;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name of this Kubernetes cluster inside every AWS object name and owner tag. Two clusters that
 * share an AWS account must never share it, so without an explicit name it is derived from the UID
 * of the {@code kube-system} namespace: created with the cluster, never changed, unique per
 * cluster.
 */
public final class ClusterIdentity {
  /**
   * The longest name that still leaves room for any DNS-label resource name: the longest AWS name
   * we make is the alarm {@code smsp_<cluster>_<namespace>_<name>_<item>_upper}, and CloudWatch
   * allows 255 characters (Application Auto Scaling policy and scheduled-action names 256). With a
   * 63-character namespace, name and item that is 5 + 1 + 63 + 1 + 63 + 1 + 63 + 6 = 203 characters
   * besides the cluster name, which leaves 52. The owner tag value {@code
   * <cluster>/<namespace>/<name>} (at most 256 characters) then fits as well.
   */
  public static final int MAX_LENGTH = 52;

  /**
   * Hex digits of the UID kept: 48 bits, so two clusters in one account collide with odds of about
   * 1 in 10^14.
   */
  static final int UID_HEX_DIGITS = 12;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private ClusterIdentity() {}

  /**
   * {@code c} followed by the first 12 hex digits of the UID: a DNS label that starts with a letter
   * (so it never reads as a number), 13 characters long.
   *
   * @throws IllegalArgumentException if the UID has fewer than 12 hex digits
   */
  public static String fromKubeSystemUid(String uid) {
    String hex = uid == null ? "" : uid.replace("-", "").toLowerCase(Locale.ROOT);
    if (hex.length() < UID_HEX_DIGITS || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException(
          "the kube-system namespace UID \""
              + uid
              + "\" is not a UUID; set the cluster name explicitly");
    }
    return "c" + hex.substring(0, UID_HEX_DIGITS);
  }

  /** What is wrong with an explicit cluster name, or empty when it can be used. */
  public static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("the cluster name is empty");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of(
          "the cluster name \""
              + name
              + "\" is "
              + name.length()
              + " characters long; at most "
              + MAX_LENGTH
              + " leave room for the namespace, name and item in AWS object names (255"
              + " characters)");
    }
    if (!DNS_LABEL.matcher(name).matches()) {
      return Optional.of(
          "the cluster name \""
              + name
              + "\" must be a DNS label: lowercase letters, digits and '-', starting and ending"
              + " with a letter or digit (no '_': it separates the parts of AWS object names)");
    }
    return Optional.empty();
  }

  /**
   * The explicit name if there is one (validated), else the name derived from the kube-system UID.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static String resolve(Optional<String> explicitName, String kubeSystemUid) {
    if (explicitName.isPresent() && !explicitName.get().isBlank()) {
      problem(explicitName.get())
          .ifPresent(
              p -> {
                throw new IllegalArgumentException(p);
              });
      return explicitName.get();
    }
    return fromKubeSystemUid(kubeSystemUid);
  }
}
