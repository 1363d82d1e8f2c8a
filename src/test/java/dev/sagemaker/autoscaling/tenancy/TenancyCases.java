package dev.sagemaker.autoscaling.tenancy;

import static dev.sagemaker.autoscaling.tenancy.NamespaceGrants.ALLOWED_REGIONS;
import static dev.sagemaker.autoscaling.tenancy.NamespaceGrants.ALLOWED_ROLES;
import static dev.sagemaker.autoscaling.tenancy.NamespaceGrants.ALLOWED_TARGETS;
import static dev.sagemaker.autoscaling.tenancy.NamespaceGrants.ALLOW_ADOPT;

import dev.sagemaker.autoscaling.tenancy.NamespaceGrants.TargetField;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One case table for both enforcement points of namespace grants: {@code NamespaceGrantsTest} runs
 * it through {@link NamespaceGrants#check}, {@code TenancyAdmissionIT} through the chart's
 * ValidatingAdmissionPolicy on a real API server. Expected messages are written out, with {@code
 * {ns}} for the namespace, so both are held to the same text.
 */
public final class TenancyCases {
  /** The operator's region in both drivers (the chart's aws.region in the IT). */
  public static final String OPERATOR_REGION = "us-east-1";

  private static final String ACCOUNT_ROLE = "arn:aws:iam::111122223333:role/";

  private TenancyCases() {}

  /**
   * @param namespaceAnnotations what the namespace admin set
   * @param deniedMessage empty when the resource is admitted; else the message, {@code {ns}} for
   *     the namespace
   */
  public record Case(
      String name,
      Map<String, String> namespaceAnnotations,
      TargetField targetField,
      String targetName,
      String roleArn,
      String region,
      boolean adopt,
      Optional<String> deniedMessage) {
    public NamespaceGrants.Request request(TenancyMode mode) {
      return new NamespaceGrants.Request(
          targetField, targetName, roleArn, region, adopt, mode, OPERATOR_REGION);
    }

    public Optional<String> deniedMessage(String namespace) {
      return deniedMessage.map(m -> m.replace("{ns}", namespace));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Case endpoint(
      String name, Map<String, String> annotations, String endpoint, String deniedMessage) {
    return new Case(
        name,
        annotations,
        TargetField.ENDPOINT,
        endpoint,
        null,
        null,
        false,
        Optional.ofNullable(deniedMessage));
  }

  private static String targetDenied(String field, String value) {
    return field
        + " \""
        + value
        + "\" is not allowed in namespace {ns}: add it to the namespace annotation "
        + ALLOWED_TARGETS;
  }

  private static String roleDenied(String role) {
    return "spec.aws.roleArn \""
        + role
        + "\" is not allowed in namespace {ns}: add it to the namespace annotation "
        + ALLOWED_ROLES;
  }

  public static List<Case> all() {
    Map<String, String> teamA = Map.of(ALLOWED_TARGETS, "team-a-*");
    Map<String, String> anyTarget = Map.of(ALLOWED_TARGETS, "*");
    Map<String, String> smspRoles =
        Map.of(ALLOWED_TARGETS, "*", ALLOWED_ROLES, ACCOUNT_ROLE + "smsp-*");
    String tooLong = "team-a-prod," + "x".repeat(NamespaceGrants.MAX_ANNOTATION_LENGTH);
    return List.of(
        endpoint(
            "another team's endpoint is refused",
            teamA,
            "team-b-prod",
            targetDenied("spec.target.endpointName", "team-b-prod")),
        endpoint(
            "a namespace without grants may drive nothing",
            Map.of(),
            "team-a-prod",
            targetDenied("spec.target.endpointName", "team-a-prod")),
        endpoint("a granted endpoint is admitted", teamA, "team-a-prod", null),
        endpoint(
            "a pattern without * matches only itself",
            Map.of(ALLOWED_TARGETS, "team-a-prod"),
            "team-a-prod2",
            targetDenied("spec.target.endpointName", "team-a-prod2")),
        endpoint("* grants every endpoint", anyTarget, "anything-at-all", null),
        endpoint(
            "entries are trimmed and empty ones ignored",
            Map.of(ALLOWED_TARGETS, " , team-x ,\tteam-a-prod ,,"),
            "team-a-prod",
            null),
        endpoint(
            "a no-break space is trimmed like other white space",
            Map.of(ALLOWED_TARGETS, "\u00a0team-a-prod\u00a0"),
            "team-a-prod",
            null),
        endpoint(
            "regex syntax in a target entry is not a pattern",
            Map.of(ALLOWED_TARGETS, "team-a-.*,team-[a-z]*"),
            "team-a-prod",
            targetDenied("spec.target.endpointName", "team-a-prod")),
        endpoint(
            "an over-long annotation grants nothing",
            Map.of(ALLOWED_TARGETS, tooLong),
            "team-a-prod",
            targetDenied("spec.target.endpointName", "team-a-prod")),
        new Case(
            "a granted inference component is admitted",
            teamA,
            TargetField.INFERENCE_COMPONENT,
            "team-a-llm",
            null,
            null,
            false,
            Optional.empty()),
        new Case(
            "an ungranted inference component is refused",
            Map.of(ALLOWED_TARGETS, "team-a-prod"),
            TargetField.INFERENCE_COMPONENT,
            "team-a-llm",
            null,
            null,
            false,
            Optional.of(targetDenied("spec.target.inferenceComponentName", "team-a-llm"))),
        new Case(
            "an ungranted role is refused",
            smspRoles,
            TargetField.ENDPOINT,
            "e",
            ACCOUNT_ROLE + "admin",
            null,
            false,
            Optional.of(roleDenied(ACCOUNT_ROLE + "admin"))),
        new Case(
            "a role without allowed-roles is refused",
            anyTarget,
            TargetField.ENDPOINT,
            "e",
            ACCOUNT_ROLE + "smsp-a",
            null,
            false,
            Optional.of(roleDenied(ACCOUNT_ROLE + "smsp-a"))),
        new Case(
            "a granted role is admitted",
            smspRoles,
            TargetField.ENDPOINT,
            "e",
            ACCOUNT_ROLE + "smsp-team-a",
            null,
            false,
            Optional.empty()),
        new Case(
            "a dot in a role entry is a dot",
            Map.of(ALLOWED_TARGETS, "*", ALLOWED_ROLES, ACCOUNT_ROLE + "smsp.a"),
            TargetField.ENDPOINT,
            "e",
            ACCOUNT_ROLE + "smspxa",
            null,
            false,
            Optional.of(roleDenied(ACCOUNT_ROLE + "smspxa"))),
        new Case(
            "a plus in a role entry is a plus",
            Map.of(ALLOWED_TARGETS, "*", ALLOWED_ROLES, ACCOUNT_ROLE + "a+b"),
            TargetField.ENDPOINT,
            "e",
            ACCOUNT_ROLE + "a+b",
            null,
            false,
            Optional.empty()),
        new Case(
            "another region is refused without a grant",
            anyTarget,
            TargetField.ENDPOINT,
            "e",
            null,
            "eu-west-1",
            false,
            Optional.of(
                "spec.aws.region \"eu-west-1\" is not allowed in namespace {ns}: add it to the"
                    + " namespace annotation "
                    + ALLOWED_REGIONS)),
        new Case(
            "the operator's own region needs no grant",
            anyTarget,
            TargetField.ENDPOINT,
            "e",
            null,
            OPERATOR_REGION,
            false,
            Optional.empty()),
        new Case(
            "a granted region is admitted",
            Map.of(ALLOWED_TARGETS, "*", ALLOWED_REGIONS, "eu-*"),
            TargetField.ENDPOINT,
            "e",
            null,
            "eu-west-1",
            false,
            Optional.empty()),
        new Case(
            "adopt without the grant is refused",
            anyTarget,
            TargetField.ENDPOINT,
            "e",
            null,
            null,
            true,
            Optional.of(
                "metadata.annotations[\"autoscaling.sagemaker.dev/adopt\"] \"true\" is not allowed"
                    + " in namespace {ns}: set the namespace annotation "
                    + ALLOW_ADOPT
                    + " to \"true\"")),
        new Case(
            "adopt with allow-adopt false is refused",
            Map.of(ALLOWED_TARGETS, "*", ALLOW_ADOPT, "false"),
            TargetField.ENDPOINT,
            "e",
            null,
            null,
            true,
            Optional.of(
                "metadata.annotations[\"autoscaling.sagemaker.dev/adopt\"] \"true\" is not allowed"
                    + " in namespace {ns}: set the namespace annotation "
                    + ALLOW_ADOPT
                    + " to \"true\"")),
        new Case(
            "adopt with the grant is admitted",
            Map.of(ALLOWED_TARGETS, "*", ALLOW_ADOPT, "true"),
            TargetField.ENDPOINT,
            "e",
            null,
            null,
            true,
            Optional.empty()),
        new Case(
            "the first missing grant is named: target before role",
            Map.of(ALLOWED_TARGETS, "team-a-*"),
            TargetField.ENDPOINT,
            "team-b-prod",
            ACCOUNT_ROLE + "admin",
            null,
            true,
            Optional.of(targetDenied("spec.target.endpointName", "team-b-prod"))));
  }
}
