package dev.sagemaker.autoscaling.moto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Python unit tests of the moto extension: the contract checker rejects what AWS rejects
 * (missing, unknown, enum, length, range, pattern, metric math, units, evaluation window, steps)
 * and accepts the operator's request shapes; schedules run when Application Auto Scaling runs them;
 * the extended moto_server records violations, answers as AWS documents (ObjectNotFoundException,
 * PolicyNames, cascading deregistration) and runs scheduled actions on the test clock.
 */
class ContractCheckerTest {
  @Test
  void theMotoExtensionsPythonTestsPass() throws Exception {
    MotoPython.Result result =
        MotoPython.run(
            "",
            "-m",
            "unittest",
            "discover",
            "-s",
            MotoPython.MOTO_DIR.toString(),
            "-p",
            "test_*.py");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).contains("OK");
  }
}
