package dev.sagemaker.autoscaling.tenancy;

import dev.sagemaker.autoscaling.api.v1alpha1.Annotations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * What a namespace's admin allows the {@code SageMakerScalingPolicy} resources in it to do, read
 * from the namespace's annotations, and the one decision both enforcement points make: the
 * ValidatingAdmissionPolicy in the chart (templates/validatingadmissionpolicy.yaml, in CEL) and the
 * reconciler. The two must agree; {@code TenancyCases} holds the case table both are tested with.
 *
 * <p>Each list annotation is comma-separated glob patterns ({@code *} is any run of characters).
 * The annotations are written by namespace admins but read as untrusted text: a value longer than
 * {@link #MAX_ANNOTATION_LENGTH} grants nothing, entries are trimmed, and empty entries, entries
 * longer than {@link #MAX_PATTERN_LENGTH} and entries with a character the field can never contain
 * are ignored. So no entry carries regex syntax into the CEL side, and none matches by accident.
 */
public record NamespaceGrants(
    String namespace,
    List<String> targets,
    List<String> roles,
    List<String> regions,
    boolean adopt) {
  private static final String GROUP = "autoscaling.sagemaker.dev/";

  /** Endpoint and inference-component names the namespace may scale. Without it: none. */
  public static final String ALLOWED_TARGETS = GROUP + "allowed-targets";

  /** Role ARNs {@code spec.aws.roleArn} may name. Without it: the field is refused. */
  public static final String ALLOWED_ROLES = GROUP + "allowed-roles";

  /** Regions besides the operator's own. Without it: only the operator's region. */
  public static final String ALLOWED_REGIONS = GROUP + "allowed-regions";

  /** {@code "true"} lets the namespace use the adopt annotation. */
  public static final String ALLOW_ADOPT = GROUP + "allow-adopt";

  /** The resource annotation that asks to take over a target another tool registered. */
  public static final String ADOPT = Annotations.ADOPT;

  /** Bounds the work one annotation can cause (about 130 role ARNs, far more names). */
  public static final int MAX_ANNOTATION_LENGTH = 8192;

  /** Longer than any role ARN the CRD accepts (at most about 560 characters). */
  public static final int MAX_PATTERN_LENGTH = 1024;

  /** SageMaker endpoint and inference-component names: letters, digits, hyphens. */
  static final IntPredicate TARGET_CHARS = c -> c == '*' || c == '-' || isAsciiLetterOrDigit(c);

  /**
   * IAM role ARNs: {@code arn:<partition>:iam::<account>:role/<path><name>}, names from [\w+=,.@-].
   */
  static final IntPredicate ROLE_CHARS =
      c -> c == '*' || isAsciiLetterOrDigit(c) || "_+=,.@/:-".indexOf(c) >= 0;

  /** Region codes such as eu-west-1. */
  static final IntPredicate REGION_CHARS =
      c -> c == '*' || c == '-' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

  public NamespaceGrants {
    Objects.requireNonNull(namespace, "namespace");
    targets = List.copyOf(targets);
    roles = List.copyOf(roles);
    regions = List.copyOf(regions);
  }

  /** The grants of a namespace; {@code annotations} may be null (a namespace without any). */
  public static NamespaceGrants fromAnnotations(String namespace, Map<String, String> annotations) {
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    String adopt = a.get(ALLOW_ADOPT);
    return new NamespaceGrants(
        namespace,
        patterns(a.get(ALLOWED_TARGETS), TARGET_CHARS),
        patterns(a.get(ALLOWED_ROLES), ROLE_CHARS),
        patterns(a.get(ALLOWED_REGIONS), REGION_CHARS),
        isTrue(adopt));
  }

  /**
   * How the adopt and allow-adopt annotations read "true": case-insensitively in ASCII only, as the
   * reconciler reads adopt and as CEL's {@code lowerAscii()} does on the admission side.
   */
  public static boolean isTrue(String annotationValue) {
    if (annotationValue == null || annotationValue.length() != 4) {
      return false;
    }
    StringBuilder lower = new StringBuilder(4);
    for (char c : annotationValue.toCharArray()) {
      lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return lower.toString().equals("true");
  }

  /** Which spec field names the target. */
  public enum TargetField {
    ENDPOINT("spec.target.endpointName"),
    INFERENCE_COMPONENT("spec.target.inferenceComponentName");

    private final String path;

    TargetField(String path) {
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  /**
   * What one resource asks for.
   *
   * @param targetField which field names the target
   * @param targetName the endpoint or inference-component name
   * @param roleArn {@code spec.aws.roleArn}, or null for the operator's own identity
   * @param region {@code spec.aws.region}, or null for the operator's region
   * @param adopt whether the resource asks to adopt: {@link #isTrue} of its {@link #ADOPT}
   *     annotation
   * @param mode the operator's tenancy mode
   * @param operatorRegion the operator's own region (always allowed), or null when it has none
   */
  public record Request(
      TargetField targetField,
      String targetName,
      String roleArn,
      String region,
      boolean adopt,
      TenancyMode mode,
      String operatorRegion) {
    public Request {
      Objects.requireNonNull(targetField, "targetField");
      Objects.requireNonNull(targetName, "targetName");
      Objects.requireNonNull(mode, "mode");
    }

    /**
     * A request from a resource's raw fields: {@code spec.target.endpointName} or, when that is
     * null, {@code spec.target.inferenceComponentName}; the adopt annotation's value as it is.
     */
    public static Request of(
        String endpointName,
        String inferenceComponentName,
        String roleArn,
        String region,
        String adoptAnnotation,
        TenancyMode mode,
        String operatorRegion) {
      TargetField field =
          endpointName != null ? TargetField.ENDPOINT : TargetField.INFERENCE_COMPONENT;
      String name =
          endpointName != null
              ? endpointName
              : Objects.requireNonNullElse(inferenceComponentName, "");
      return new Request(
          field, name, roleArn, region, isTrue(adoptAnnotation), mode, operatorRegion);
    }
  }

  /**
   * The first thing the request asks for that the namespace does not grant, checked in the order
   * target, region, role, adopt (the order of the admission policy's validations); empty when the
   * request is allowed, and always empty in {@link TenancyMode#OPEN}.
   */
  public static Optional<Denial> check(NamespaceGrants grants, Request request) {
    if (request.mode() == TenancyMode.OPEN) {
      return Optional.empty();
    }
    if (!anyMatches(grants.targets(), request.targetName())) {
      return Optional.of(
          denial(
              grants,
              request.targetField().path(),
              request.targetName(),
              ALLOWED_TARGETS,
              "add it to the namespace annotation " + ALLOWED_TARGETS));
    }
    String region = request.region();
    if (region != null
        && !region.equals(request.operatorRegion())
        && !anyMatches(grants.regions(), region)) {
      return Optional.of(
          denial(
              grants,
              "spec.aws.region",
              region,
              ALLOWED_REGIONS,
              "add it to the namespace annotation " + ALLOWED_REGIONS));
    }
    if (request.roleArn() != null && !anyMatches(grants.roles(), request.roleArn())) {
      return Optional.of(
          denial(
              grants,
              "spec.aws.roleArn",
              request.roleArn(),
              ALLOWED_ROLES,
              "add it to the namespace annotation " + ALLOWED_ROLES));
    }
    if (request.adopt() && !grants.adopt()) {
      return Optional.of(
          denial(
              grants,
              "metadata.annotations[\"" + ADOPT + "\"]",
              "true",
              ALLOW_ADOPT,
              "set the namespace annotation " + ALLOW_ADOPT + " to \"true\""));
    }
    return Optional.empty();
  }

  private static Denial denial(
      NamespaceGrants grants, String field, String value, String grant, String remedy) {
    return new Denial(
        field,
        grant,
        field
            + " \""
            + value
            + "\" is not allowed in namespace "
            + grants.namespace()
            + ": "
            + remedy);
  }

  private static boolean anyMatches(List<String> patterns, String value) {
    return patterns.stream().anyMatch(p -> Glob.matches(p, value));
  }

  static List<String> patterns(String annotation, IntPredicate alphabet) {
    List<String> patterns = new ArrayList<>();
    // Code points, not UTF-16 units: CEL's size() counts code points.
    if (annotation == null
        || annotation.codePointCount(0, annotation.length()) > MAX_ANNOTATION_LENGTH) {
      return patterns;
    }
    for (String entry : annotation.split(",", -1)) {
      String pattern = trim(entry);
      if (!pattern.isEmpty()
          && pattern.length() <= MAX_PATTERN_LENGTH
          && pattern.chars().allMatch(alphabet)) {
        patterns.add(pattern);
      }
    }
    return patterns;
  }

  /**
   * Trims white space as CEL's {@code trim()} does (Go's {@code unicode.IsSpace}), so both
   * enforcement points read the same entries: Java's {@code strip()} would keep U+0085 and U+00A0.
   */
  static String trim(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && isSpace(s.charAt(from))) {
      from++;
    }
    while (to > from && isSpace(s.charAt(to - 1))) {
      to--;
    }
    return s.substring(from, to);
  }

  private static boolean isSpace(char c) {
    return c == '\t'
        || c == '\n'
        || c == 0x0B
        || c == '\f'
        || c == '\r'
        || c == 0x85
        || Character.isSpaceChar(c);
  }

  private static boolean isAsciiLetterOrDigit(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
