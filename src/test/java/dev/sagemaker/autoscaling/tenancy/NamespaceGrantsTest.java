package dev.sagemaker.autoscaling.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagemaker.autoscaling.tenancy.NamespaceGrants.Request;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants.TargetField;
import dev.sagemaker.autoscaling.tenancy.TenancyCases.Case;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NamespaceGrantsTest {
  private static final String NS = "team-a";

  static List<Case> cases() {
    return TenancyCases.all();
  }

  /** The same table TenancyAdmissionIT runs through the admission policy. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decidesTheSharedCaseTable(Case c) {
    Optional<Denial> denial =
        NamespaceGrants.check(
            NamespaceGrants.fromAnnotations(NS, c.namespaceAnnotations()),
            c.request(TenancyMode.NAMESPACE_GRANTS));
    assertThat(denial.map(Denial::message)).isEqualTo(c.deniedMessage(NS));
    // The message always names the annotation that would grant the request.
    denial.ifPresent(d -> assertThat(d.message()).contains(d.grant()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void openModeAllowsEveryCase(Case c) {
    assertThat(
            NamespaceGrants.check(
                NamespaceGrants.fromAnnotations(NS, c.namespaceAnnotations()),
                c.request(TenancyMode.OPEN)))
        .isEmpty();
  }

  @Test
  void aDenialNamesTheFieldAndTheGrant() {
    Denial denial =
        NamespaceGrants.check(
                NamespaceGrants.fromAnnotations(NS, Map.of()),
                new Request(
                    TargetField.ENDPOINT,
                    "team-b-prod",
                    null,
                    null,
                    false,
                    TenancyMode.NAMESPACE_GRANTS,
                    "us-east-1"))
            .orElseThrow();
    assertThat(denial.field()).isEqualTo("spec.target.endpointName");
    assertThat(denial.grant()).isEqualTo(NamespaceGrants.ALLOWED_TARGETS);
    assertThat(denial.message())
        .isEqualTo(
            "spec.target.endpointName \"team-b-prod\" is not allowed in namespace team-a:"
                + " add it to the namespace annotation autoscaling.sagemaker.dev/allowed-targets");
  }

  @Test
  void aRequestFromRawFieldsNamesTheFieldThatIsSet() {
    Request endpoint =
        Request.of("e", null, null, null, "TRUE", TenancyMode.NAMESPACE_GRANTS, "us-east-1");
    assertThat(endpoint.targetField()).isEqualTo(TargetField.ENDPOINT);
    assertThat(endpoint.adopt()).isTrue();
    Request component =
        Request.of(null, "ic", null, null, null, TenancyMode.NAMESPACE_GRANTS, "us-east-1");
    assertThat(component.targetField()).isEqualTo(TargetField.INFERENCE_COMPONENT);
    assertThat(component.targetName()).isEqualTo("ic");
    assertThat(component.adopt()).isFalse();
    // Neither set (the CRD forbids it): nothing but '*' matches the empty name.
    Request none =
        Request.of(null, null, null, null, null, TenancyMode.NAMESPACE_GRANTS, "us-east-1");
    assertThat(
            NamespaceGrants.check(
                NamespaceGrants.fromAnnotations(NS, Map.of(NamespaceGrants.ALLOWED_TARGETS, "a*")),
                none))
        .isPresent();
  }

  @Test
  void aNamespaceWithoutAnnotationsGrantsNothing() {
    NamespaceGrants none = NamespaceGrants.fromAnnotations(NS, null);
    assertThat(none.targets()).isEmpty();
    assertThat(none.roles()).isEmpty();
    assertThat(none.regions()).isEmpty();
    assertThat(none.adopt()).isFalse();
  }

  @Test
  void anOperatorWithoutARegionNeedsAGrantForEveryExplicitRegion() {
    NamespaceGrants grants =
        NamespaceGrants.fromAnnotations(NS, Map.of(NamespaceGrants.ALLOWED_TARGETS, "*"));
    assertThat(
            NamespaceGrants.check(
                grants,
                new Request(
                    TargetField.ENDPOINT,
                    "e",
                    null,
                    "us-east-1",
                    false,
                    TenancyMode.NAMESPACE_GRANTS,
                    null)))
        .map(Denial::grant)
        .contains(NamespaceGrants.ALLOWED_REGIONS);
    assertThat(
            NamespaceGrants.check(
                grants,
                new Request(
                    TargetField.ENDPOINT,
                    "e",
                    null,
                    null,
                    false,
                    TenancyMode.NAMESPACE_GRANTS,
                    null)))
        .isEmpty();
  }

  @Test
  void entriesWithCharactersTheFieldCannotHoldAreDropped() {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(NamespaceGrants.ALLOWED_TARGETS, "ok-1,(a|b),a\\d,x y, *");
    annotations.put(
        NamespaceGrants.ALLOWED_ROLES,
        "arn:aws:iam::1:role/a+b=c,d@e.f/g_h,arn:aws:iam::1:role/(x),arn:aws:iam::1:role/$");
    annotations.put(NamespaceGrants.ALLOWED_REGIONS, "eu-*,EU-WEST-1,us-east-1?");
    NamespaceGrants grants = NamespaceGrants.fromAnnotations(NS, annotations);
    assertThat(grants.targets()).containsExactly("ok-1", "*");
    assertThat(grants.roles()).containsExactly("arn:aws:iam::1:role/a+b=c", "d@e.f/g_h");
    assertThat(grants.regions()).containsExactly("eu-*");
  }

  @Test
  void anEntryLongerThanTheBoundIsDropped() {
    String longest = "a".repeat(NamespaceGrants.MAX_PATTERN_LENGTH);
    NamespaceGrants grants =
        NamespaceGrants.fromAnnotations(
            NS, Map.of(NamespaceGrants.ALLOWED_TARGETS, longest + "," + longest + "b"));
    assertThat(grants.targets()).containsExactly(longest);
  }

  @Test
  void theAnnotationBoundCountsCodePointsAsCelDoes() {
    // 4000 emoji are 8000 UTF-16 units but only 4000 code points: under the bound in CEL, so here
    // too.
    String value = "team-a-prod," + "\uD83D\uDE00".repeat(4000);
    assertThat(
            NamespaceGrants.fromAnnotations(NS, Map.of(NamespaceGrants.ALLOWED_TARGETS, value))
                .targets())
        .containsExactly("team-a-prod");
  }

  @Test
  void adoptReadsTrueCaseInsensitivelyInAsciiOnly() {
    assertThat(NamespaceGrants.isTrue("true")).isTrue();
    assertThat(NamespaceGrants.isTrue("TRUE")).isTrue();
    assertThat(NamespaceGrants.isTrue("True")).isTrue();
    assertThat(NamespaceGrants.isTrue(" true")).isFalse();
    assertThat(NamespaceGrants.isTrue("yes")).isFalse();
    assertThat(NamespaceGrants.isTrue(null)).isFalse();
    assertThat(
            NamespaceGrants.fromAnnotations(NS, Map.of(NamespaceGrants.ALLOW_ADOPT, "True"))
                .adopt())
        .isTrue();
  }

  @Test
  void tenancyModeParsesTheChartSpellings() {
    assertThat(TenancyMode.parse("namespace-grants")).isEqualTo(TenancyMode.NAMESPACE_GRANTS);
    assertThat(TenancyMode.parse(" Open ")).isEqualTo(TenancyMode.OPEN);
    assertThat(TenancyMode.NAMESPACE_GRANTS.value()).isEqualTo("namespace-grants");
    assertThatThrownBy(() -> TenancyMode.parse("strict"))
        .hasMessageContaining("namespace-grants or open");
    assertThatThrownBy(() -> TenancyMode.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
