package dev.sagemaker.autoscaling.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's sandbox command runs this; it must bring every example to Ready and show the AWS
 * objects.
 */
class SandboxIT {
  /**
   * The sandbox starts its own operator in its own namespace; the fixture wipes moto and checks the
   * calls.
   */
  @RegisterExtension final OperatorExtension fixture = OperatorExtension.withoutOperator();

  @Test
  void everyExampleBecomesReadyAndTheAwsObjectsArePrinted() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Sandbox.Started sandbox =
        Sandbox.run(new PrintStream(buffer, true, StandardCharsets.UTF_8), Duration.ofSeconds(90));
    sandbox.operator().close();
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertThat(sandbox.ready()).as(output).isTrue();
    assertThat(output)
        .contains("recommender")
        .contains("scalable target  endpoint/recommender-prod/variant/prod")
        .contains("cloudwatch alarm smsp_sandbox_sandbox_recommender_cpu-steps_upper")
        .contains("kubeconfig:");
  }
}
