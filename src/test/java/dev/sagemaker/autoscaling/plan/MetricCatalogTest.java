package dev.sagemaker.autoscaling.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.MetricKind;
import dev.sagemaker.autoscaling.api.v1alpha1.StepScalingPolicy;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The metric catalog is the one table a new metric kind goes into; what repeats it elsewhere must
 * agree.
 */
class MetricCatalogTest {

  @Test
  void everyMetricKindHasARow() {
    assertThat(MetricKind.values())
        .allSatisfy(kind -> assertThat(MetricCatalog.row(kind)).as(kind.name()).isNotNull());
  }

  @Test
  void theCrdsListOfTargetTrackingOnlyMetricsIsTheCatalogs() {
    String[] trackingOnly =
        Arrays.stream(MetricKind.values())
            .filter(kind -> !MetricCatalog.row(kind).stepScaling())
            .map(kind -> "'" + kind.name() + "'")
            .toArray(String[]::new);

    assertThat(
            StepScalingPolicy.TARGET_TRACKING_ONLY_METRICS
                .replaceAll("[\\[\\]]", "")
                .split(",\\s*"))
        .containsExactlyInAnyOrder(trackingOnly);
  }

  @Test
  void onlyThePerCoreAndPerGpuMetricsNeedTheInstanceType() {
    assertThat(Arrays.stream(MetricKind.values()).filter(MetricCatalog::needsInstanceType))
        .containsExactlyInAnyOrder(
            MetricKind.CPUUtilizationPerCore, MetricKind.GPUUtilizationPerGPU);
  }
}
