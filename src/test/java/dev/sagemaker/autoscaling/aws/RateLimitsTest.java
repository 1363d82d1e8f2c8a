package dev.sagemaker.autoscaling.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

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
}
