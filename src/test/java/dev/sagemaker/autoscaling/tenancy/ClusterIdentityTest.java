package dev.sagemaker.autoscaling.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.StepBands;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterIdentityTest {
  private static final String UID = "5f1c9d2e-7a3b-4c8d-9e0f-1a2b3c4d5e6f";

  @Test
  void derivesAShortStableDnsLabelFromTheKubeSystemUid() {
    String name = ClusterIdentity.fromKubeSystemUid(UID);
    assertThat(name).isEqualTo("c5f1c9d2e7a3b");
    assertThat(ClusterIdentity.fromKubeSystemUid(UID)).isEqualTo(name);
    assertThat(ClusterIdentity.problem(name)).isEmpty();
    assertThat(ClusterIdentity.fromKubeSystemUid(UID.toUpperCase())).isEqualTo(name);
  }

  @Test
  void twoClustersGetDifferentNames() {
    assertThat(ClusterIdentity.fromKubeSystemUid("5f1c9d2e-7a3b-4c8d-9e0f-1a2b3c4d5e6f"))
        .isNotEqualTo(ClusterIdentity.fromKubeSystemUid("5f1c9d2e-7a3c-4c8d-9e0f-1a2b3c4d5e6f"));
  }

  @Test
  void refusesAUidThatIsNotAUuid() {
    assertThatThrownBy(() -> ClusterIdentity.fromKubeSystemUid("abc"))
        .hasMessageContaining("set the cluster name");
    assertThatThrownBy(() -> ClusterIdentity.fromKubeSystemUid("zzzzzzzz-zzzz-zzzz"))
        .hasMessageContaining("not a UUID");
    assertThatThrownBy(() -> ClusterIdentity.fromKubeSystemUid(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validatesExplicitNames() {
    assertThat(ClusterIdentity.problem("prod-eu-1")).isEmpty();
    assertThat(ClusterIdentity.problem("a".repeat(ClusterIdentity.MAX_LENGTH))).isEmpty();
    assertThat(ClusterIdentity.problem("a".repeat(ClusterIdentity.MAX_LENGTH + 1)))
        .get()
        .asString()
        .contains("at most 52");
    assertThat(ClusterIdentity.problem("prod_eu")).get().asString().contains("no '_'");
    assertThat(ClusterIdentity.problem("Prod")).isPresent();
    assertThat(ClusterIdentity.problem("-prod")).isPresent();
    assertThat(ClusterIdentity.problem("prod-")).isPresent();
    assertThat(ClusterIdentity.problem("prod.eu")).isPresent();
    assertThat(ClusterIdentity.problem("")).isPresent();
    assertThat(ClusterIdentity.problem(null)).isPresent();
  }

  @Test
  void theLongestNameLeavesRoomForTheLongestAlarmName() {
    String label = "a".repeat(63);
    Owner owner = new Owner("c".repeat(ClusterIdentity.MAX_LENGTH), label, label);
    // The step policy's alarm carries the longest suffix the planner adds.
    assertThat(owner.stepPolicy(label, StepBands.Side.UPPER)).hasSize(Owner.MAX_NAME_LENGTH);
    assertThat(owner.tagValue().length()).isLessThanOrEqualTo(256);
  }

  @Test
  void anExplicitNameWinsOverTheDerivedOne() {
    assertThat(ClusterIdentity.resolve(Optional.of("prod"), UID)).isEqualTo("prod");
    assertThat(ClusterIdentity.resolve(Optional.empty(), UID)).isEqualTo("c5f1c9d2e7a3b");
    assertThat(ClusterIdentity.resolve(Optional.of(" "), UID)).isEqualTo("c5f1c9d2e7a3b");
    assertThatThrownBy(() -> ClusterIdentity.resolve(Optional.of("prod_1"), UID))
        .hasMessageContaining("DNS label");
  }
}
