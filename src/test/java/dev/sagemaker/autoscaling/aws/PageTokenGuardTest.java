package dev.sagemaker.autoscaling.aws;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.applicationautoscaling.model.DescribeScalableTargetsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;

class PageTokenGuardTest {
  private final PageTokenGuard guard = new PageTokenGuard();

  @Test
  void aListingThatHandsOutTheSameTokenAgainStops() {
    request("DescribeScalableTargets", targets(null));
    request("DescribeScalableTargets", targets("49"));

    assertThatThrownBy(() -> request("DescribeScalableTargets", targets("49")))
        .isInstanceOf(SdkClientException.class)
        .hasMessageContaining(
            "DescribeScalableTargets returned a page token it had returned before");
  }

  @Test
  void aListingWithNewTokensOnEveryPageRunsToItsEnd() {
    assertThatCode(
            () -> {
              request("DescribeScalableTargets", targets(null));
              for (int page = 1; page <= 40; page++) {
                request("DescribeScalableTargets", targets(String.valueOf(page * 50)));
              }
            })
        .doesNotThrowAnyException();
  }

  @Test
  void theNextListingMayMeetTheTokensOfTheLastOneAgain() {
    request("DescribeScalableTargets", targets(null));
    request("DescribeScalableTargets", targets("50"));

    assertThatCode(
            () -> {
              request("DescribeScalableTargets", targets(null));
              request("DescribeScalableTargets", targets("50"));
            })
        .doesNotThrowAnyException();
  }

  @Test
  void listingsOfOtherOperationsOnTheSameThreadDoNotMix() {
    request("DescribeScalableTargets", targets(null));
    request("DescribeScalableTargets", targets("50"));

    assertThatCode(
            () -> {
              request("DescribeAlarms", DescribeAlarmsRequest.builder().build());
              request("DescribeAlarms", DescribeAlarmsRequest.builder().nextToken("50").build());
              request("DescribeScalableTargets", targets("100"));
            })
        .doesNotThrowAnyException();
  }

  private static DescribeScalableTargetsRequest targets(String token) {
    return DescribeScalableTargetsRequest.builder().nextToken(token).build();
  }

  private void request(String operation, SdkRequest request) {
    ExecutionAttributes attributes = new ExecutionAttributes();
    attributes.putAttribute(SdkExecutionAttribute.OPERATION_NAME, operation);
    Context.BeforeExecution context = () -> request;
    guard.beforeExecution(context, attributes);
  }
}
