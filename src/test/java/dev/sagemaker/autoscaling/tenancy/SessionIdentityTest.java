package dev.sagemaker.autoscaling.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionIdentityTest {
  private static final String SESSION_NAME = "[\\w+=,.@-]{2,64}";

  @Test
  void namesTheSessionAfterTheResource() {
    SessionIdentity identity = SessionIdentity.of("prod", "team-a", "recommender");
    assertThat(identity.sessionName()).isEqualTo("smsp.team-a.recommender");
    assertThat(identity.tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("smsp-namespace", "team-a", "smsp-name", "recommender", "smsp-cluster", "prod"));
  }

  @Test
  void aLongNameIsCutToSixtyFourCharactersAndStaysUnique() {
    String namespace = "n".repeat(63);
    String a = SessionIdentity.sessionName(namespace, "x".repeat(200) + "a");
    String b = SessionIdentity.sessionName(namespace, "x".repeat(200) + "b");
    assertThat(a).hasSize(64).matches(SESSION_NAME).startsWith("smsp." + "n".repeat(20));
    assertThat(b).hasSize(64).matches(SESSION_NAME);
    assertThat(a).isNotEqualTo(b);
    assertThat(SessionIdentity.sessionName(namespace, "x".repeat(200) + "a"))
        .as("stable")
        .isEqualTo(a);
  }

  @Test
  void sessionNamesAreValidAndDistinctForManyResources() {
    Set<String> seen = new HashSet<>();
    for (int ns = 0; ns < 30; ns++) {
      for (int length = 1; length <= 253; length += 7) {
        String name =
            SessionIdentity.sessionName("team-" + ns + "-" + "q".repeat(40), "r".repeat(length));
        assertThat(name).matches(SESSION_NAME);
        assertThat(seen.add(name)).as("unique: %s", name).isTrue();
      }
    }
  }

  @Test
  void aNameThatFitsExactlyIsKeptWhole() {
    String name = "r".repeat(64 - "smsp.ns.".length());
    assertThat(SessionIdentity.sessionName("ns", name)).isEqualTo("smsp.ns." + name);
  }

  @Test
  void charactersAwsRefusesAreReplacedAndHashed() {
    // Kubernetes names never hold these; a cut or replaced name still gets the hash so it stays
    // unique.
    String name = SessionIdentity.sessionName("ns", "a b");
    assertThat(name).matches(SESSION_NAME).startsWith("smsp.ns.a-b-");
    assertThat(name).isNotEqualTo(SessionIdentity.sessionName("ns", "a-b"));
  }

  @Test
  void tagValuesStayWithinTheAwsLimit() {
    String longName = "d.".repeat(126) + "e";
    String value = SessionIdentity.of("c", "ns", longName).tags().get(SessionIdentity.TAG_NAME);
    assertThat(value).isEqualTo(longName);
    String tooLong = SessionIdentity.tagValue("v".repeat(300));
    assertThat(tooLong).hasSize(256);
    assertThat(tooLong).isNotEqualTo(SessionIdentity.tagValue("v".repeat(301)));
  }

  @Test
  void anExternalIdFollowsTheStsModel() {
    assertThat(SessionIdentity.externalIdProblem("team-a:prod/2026")).isEmpty();
    assertThat(SessionIdentity.externalIdProblem("x")).isPresent();
    assertThat(SessionIdentity.externalIdProblem("x".repeat(1225))).isPresent();
    assertThat(SessionIdentity.externalIdProblem("no spaces")).isPresent();
  }
}
