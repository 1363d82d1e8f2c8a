package dev.sagemaker.autoscaling.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

class RateLimitsTest {
  @Test
  void emptyMeansCloudWatchsPublishedQuotas() {
    assertThat(RateLimits.parse(""))
        .containsEntry("PutMetricAlarm", 3.0)
        .containsEntry("DeleteAlarms", 3.0)
        .containsEntry("DescribeAlarms", 9.0);
  }

  @Test
  void entriesOverrideAddAndLiftLimits() {
    assertThat(RateLimits.parse("PutMetricAlarm=10, PutScalingPolicy=5,DescribeAlarms=0"))
        .containsEntry("PutMetricAlarm", 10.0)
        .containsEntry("PutScalingPolicy", 5.0)
        .containsEntry("DeleteAlarms", 3.0)
        .doesNotContainKey("DescribeAlarms");
  }

  @Test
  void malformedEntriesAreRefusedWithTheEntry() {
    assertThatThrownBy(() -> RateLimits.parse("PutMetricAlarm"))
        .hasMessageContaining("PutMetricAlarm");
    assertThatThrownBy(() -> RateLimits.parse("PutMetricAlarm=-1"))
        .hasMessageContaining("negative");
  }

  @Test
  void aCallIsPacedInTheLaneOfTheNamespaceItIsMadeForAndOnlyDuringThatWork() {
    RateLimits limits = new RateLimits(Map.of("PutMetricAlarm", 1000.0));
    ExecutionAttributes forTeamA = new ExecutionAttributes();
    forTeamA.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "PutMetricAlarm");
    ExecutionAttributes afterwards = new ExecutionAttributes();
    afterwards.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "PutMetricAlarm");
    ExecutionAttributes unpaced = new ExecutionAttributes();
    unpaced.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "DescribeEndpoint");

    CallerNamespace.callingFor(
        "team-a",
        () -> {
          limits.beforeExecution(null, forTeamA);
          limits.beforeExecution(null, unpaced);
          return null;
        });
    limits.beforeExecution(null, afterwards);

    assertThat(forTeamA.getAttribute(RateLimits.PACED_FOR)).isEqualTo("team-a");
    assertThat(forTeamA.getAttribute(RateLimits.PACING_WAIT)).isNotNull();
    assertThat(afterwards.getAttribute(RateLimits.PACED_FOR))
        .as("the namespace is cleared when its work ends")
        .isEqualTo(CallerNamespace.OPERATOR);
    assertThat(unpaced.getAttribute(RateLimits.PACING_WAIT)).isNull();
  }

  @Test
  void nestedWorkRestoresTheOuterNamespace() {
    String seen =
        CallerNamespace.callingFor(
            "outer",
            () -> {
              CallerNamespace.callingFor("inner", CallerNamespace::current);
              return CallerNamespace.current();
            });
    assertThat(seen).isEqualTo("outer");
    assertThat(CallerNamespace.current()).isEqualTo(CallerNamespace.OPERATOR);
  }
}
