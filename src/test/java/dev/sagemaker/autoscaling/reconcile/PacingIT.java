package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.aws.RateLimits;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With AWS enforcing CloudWatch's published quotas (PutMetricAlarm 3/s, DescribeAlarms 9/s,
 * DeleteAlarms 3/s), the operator's own pacing keeps every call under them: many resources converge
 * with zero throttling responses.
 */
class PacingIT {
  @RegisterExtension
  final OperatorExtension fixture =
      OperatorExtension.operator(Duration.ofMinutes(5))
          .throughProxy(aws -> aws.enforceQuotas(RateLimits.DEFAULTS));

  @Test
  void convergingManyStepPoliciesNeverHitsTheAlarmQuotas() {
    int count = 12;
    long started = System.nanoTime();
    IntStream.range(0, count)
        .forEach(i -> fixture.moto().createEndpoint("paced-" + i, "prod", "ml.c5.2xlarge", 1));
    IntStream.range(0, count)
        .forEach(i -> fixture.create(fixture.seedManifest("paced-" + i, "paced-" + i)));
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> IntStream.range(0, count).allMatch(i -> fixture.isReady("paced-" + i)));
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "%d resources (%d alarms) converged in %.1f s under the quotas; calls %s; throttled %s%n",
        count, 2 * count, seconds, fixture.proxy().calls(), fixture.proxy().injectedFaults());
    assertThat(fixture.proxy().injectedFaults()).as("throttling responses").isEmpty();
    assertThat(fixture.moto().alarms()).hasSize(2 * count);
  }
}
