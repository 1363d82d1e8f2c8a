package dev.sagemaker.autoscaling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

  @Test
  void acceptsDnsLabelsUpToTheLimit() {
    assertThat(RunCommand.clusterNameProblem("default")).isEmpty();
    assertThat(RunCommand.clusterNameProblem("prod-eu-west-1")).isEmpty();
    assertThat(RunCommand.clusterNameProblem("a".repeat(RunCommand.MAX_CLUSTER_NAME_LENGTH))).isEmpty();
  }

  @Test
  void refusesWhatWouldBreakOrOverflowAwsNames() {
    assertThat(RunCommand.clusterNameProblem("prod_eu")).get().asString().contains("DNS label").contains("'_'");
    assertThat(RunCommand.clusterNameProblem("Prod")).get().asString().contains("DNS label");
    assertThat(RunCommand.clusterNameProblem("-prod")).get().asString().contains("DNS label");
    assertThat(RunCommand.clusterNameProblem("")).get().asString().contains("must not be empty");
    assertThat(RunCommand.clusterNameProblem("a".repeat(RunCommand.MAX_CLUSTER_NAME_LENGTH + 1))).get().asString()
        .contains("33 characters").contains("at most 32");
  }

  @Test
  void aBadClusterNameStopsTheCommandWithAClearMessageAndANonZeroExitCode() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new RunCommand()).setErr(new PrintWriter(err));
    int exit = cli.execute("--cluster-name", "prod_eu", "--metrics-port", "0");
    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("the cluster name 'prod_eu' must be a DNS label");
  }
}
