package dev.sagemaker.autoscaling.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What the operator is named in AWS when started; an explicit name is checked before anything
 * reaches the cluster.
 */
class RunCommandTest {

  @Test
  void anExplicitClusterNameIsUsedAsGivenWhenItIsADnsLabel() {
    assertThat(RunCommand.clusterName("prod-eu-1", null)).isEqualTo("prod-eu-1");
  }

  @Test
  void anExplicitClusterNameThatIsNoDnsLabelIsRefusedWithTheReason() {
    assertThatThrownBy(() -> RunCommand.clusterName("prod_eu", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prod_eu")
        .hasMessageContaining("DNS label");
  }
}
