package dev.sagemaker.autoscaling.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who asked, as an assumed role sees it: the AssumeRole session name and session tags for the
 * resource a call is made for, so a target role's trust policy can require {@code
 * aws:RequestTag/smsp-namespace} and its permissions can use {@code aws:PrincipalTag/...}, and
 * CloudTrail names the resource ({@code assumed-role/<role>/smsp.<namespace>.<name>}).
 *
 * @param sessionName 2 to 64 characters of {@code [\w+=,.@-]}, as AssumeRole requires
 * @param tags {@link #TAG_NAMESPACE}, {@link #TAG_NAME} and {@link #TAG_CLUSTER}, values within AWS
 *     limits
 */
public record SessionIdentity(String sessionName, Map<String, String> tags) {
  public static final String TAG_NAMESPACE = "smsp-namespace";
  public static final String TAG_NAME = "smsp-name";
  public static final String TAG_CLUSTER = "smsp-cluster";

  /** AssumeRole's RoleSessionName: 2 to 64 characters. */
  public static final int MAX_SESSION_NAME_LENGTH = 64;

  /** Session tag values: at most 256 characters. */
  public static final int MAX_TAG_VALUE_LENGTH = 256;

  private static final String PREFIX = "smsp.";

  /** 40 bits of SHA-256 keep truncated names apart. */
  private static final int HASH_HEX_DIGITS = 10;

  public SessionIdentity {
    tags = Map.copyOf(tags);
  }

  /**
   * What is wrong with an AssumeRole ExternalId (2 to 1224 characters of {@code [\w+=,.@:/-]}, as
   * the STS API reference has it), if anything.
   */
  public static Optional<String> externalIdProblem(String externalId) {
    if (externalId.length() < 2 || externalId.length() > 1224) {
      return Optional.of("the AssumeRole external id must be 2 to 1224 characters long");
    }
    if (!externalId.matches("[\\w+=,.@:/-]*")) {
      return Optional.of("the AssumeRole external id may only hold letters, digits and _+=,.@:/-");
    }
    return Optional.empty();
  }

  public static SessionIdentity of(String cluster, String namespace, String name) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(TAG_NAMESPACE, tagValue(namespace));
    tags.put(TAG_NAME, tagValue(name));
    tags.put(TAG_CLUSTER, tagValue(cluster));
    return new SessionIdentity(sessionName(namespace, name), tags);
  }

  /**
   * {@code smsp.<namespace>.<name>}. A namespace holds no '.', so the first one after the prefix
   * ends it. Names too long for 64 characters are cut and end in a hash of the full {@code
   * <namespace>/<name>}, so two resources never share a session name.
   */
  static String sessionName(String namespace, String name) {
    String full =
        PREFIX + sanitize(namespace, "[^\\w+=,.@-]") + "." + sanitize(name, "[^\\w+=,.@-]");
    if (full.length() <= MAX_SESSION_NAME_LENGTH && full.equals(PREFIX + namespace + "." + name)) {
      return full;
    }
    String hash = hash(namespace + "/" + name);
    return full.substring(0, Math.min(full.length(), MAX_SESSION_NAME_LENGTH - 1 - HASH_HEX_DIGITS))
        + "-"
        + hash;
  }

  /**
   * Session tag values allow letters, digits, white space and {@code _ . : / = + - @}; Kubernetes
   * names only use some of these, and a value is cut with a hash past 256 characters.
   */
  static String tagValue(String value) {
    String clean = sanitize(value, "[^\\p{L}\\p{Z}\\p{N}_.:/=+@-]");
    if (clean.length() <= MAX_TAG_VALUE_LENGTH && clean.equals(value)) {
      return clean;
    }
    return clean.substring(0, Math.min(clean.length(), MAX_TAG_VALUE_LENGTH - 1 - HASH_HEX_DIGITS))
        + "-"
        + hash(value);
  }

  private static String sanitize(String value, String forbidden) {
    return value.replaceAll(forbidden, "-");
  }

  private static String hash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
