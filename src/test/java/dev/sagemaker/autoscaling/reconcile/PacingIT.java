package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.aws.RateLimits;
import dev.sagemaker.autoscaling.testing.AwsProxy;
import dev.sagemaker.autoscaling.testing.Examples;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorHarness;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With AWS enforcing CloudWatch's published quotas (PutMetricAlarm 3/s, DescribeAlarms 9/s,
 * DeleteAlarms 3/s), the operator's own pacing keeps every call under them: many resources converge
 * with zero throttling responses.
 */
@ExtendWith(TestEnvironment.class)
class PacingIT {
  @Test
  void convergingManyStepPoliciesNeverHitsTheAlarmQuotas() throws Exception {
    TestEnvironment.resetMoto();
    int count = 12;
    try (Moto moto = new Moto(TestEnvironment.motoEndpoint());
        AwsProxy aws = new AwsProxy(TestEnvironment.motoEndpoint())) {
      aws.enforceQuotas(RateLimits.DEFAULTS);
      try (OperatorHarness operator = OperatorHarness.start(Duration.ofMinutes(5), aws.endpoint())) {
        long started = System.nanoTime();
        IntStream.range(0, count).forEach(i -> moto.createEndpoint("paced-" + i, "prod", "ml.c5.2xlarge", 1));
        IntStream.range(0, count).forEach(i -> {
          SageMakerScalingPolicy r = Examples.load(Path.of("examples/realtime-seed.yaml"), operator.namespace);
          r.getMetadata().setName("paced-" + i);
          r.getSpec().getTarget().setEndpointName("paced-" + i);
          TestEnvironment.client().resource(r).create();
        });
        await().atMost(Duration.ofSeconds(120)).until(() -> IntStream.range(0, count).allMatch(i -> isTrue(operator.get("paced-" + i), "Ready")));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%d resources (%d alarms) converged in %.1f s under the quotas; calls %s; throttled %s%n",
            count, 2 * count, seconds, aws.calls(), aws.injectedFaults());
        assertThat(aws.injectedFaults()).as("throttling responses").isEmpty();
        assertThat(moto.alarms()).hasSize(2 * count);
      }
    }
  }
}
