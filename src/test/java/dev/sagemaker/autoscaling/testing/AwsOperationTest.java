package dev.sagemaker.autoscaling.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.testing.AwsOperation.Protocol;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The proxy names each call as the service routes it, and names nothing it cannot read. */
class AwsOperationTest {
  private static String signed(String service) {
    return "AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/"
        + service
        + "/aws4_request, SignedHeaders=host, Signature=abc";
  }

  private static byte[] bytes(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void applicationAutoScalingJsonIsNamedByItsTarget() {
    assertThat(
            AwsOperation.parse(
                signed("application-autoscaling"),
                "AnyScaleFrontendService.PutScalingPolicy",
                "application/x-amz-json-1.1",
                "/",
                bytes("{}")))
        .contains(new AwsOperation("ApplicationAutoScaling", "PutScalingPolicy", Protocol.JSON));
  }

  @Test
  void sageMakerJsonIsNamedByItsTarget() {
    assertThat(
            AwsOperation.parse(
                signed("sagemaker"),
                "SageMaker.DescribeEndpoint",
                "application/x-amz-json-1.1",
                "/",
                bytes("{}")))
        .hasValueSatisfying(
            op -> {
              assertThat(op.key()).isEqualTo("SageMaker DescribeEndpoint");
              assertThat(op.isRead()).isTrue();
            });
  }

  @Test
  void cloudWatchQueryIsNamedByItsAction() {
    assertThat(
            AwsOperation.parse(
                signed("monitoring"),
                null,
                "application/x-www-form-urlencoded; charset=utf-8",
                "/",
                bytes("Action=PutMetricAlarm&Version=2010-08-01&AlarmName=a%2Fb")))
        .contains(new AwsOperation("CloudWatch", "PutMetricAlarm", Protocol.QUERY));
  }

  @Test
  void cloudWatchRpcV2CborIsNamedByItsPath() {
    assertThat(
            AwsOperation.parse(
                signed("monitoring"),
                null,
                "application/cbor",
                "/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
                new byte[] {(byte) 0xbf, (byte) 0xff}))
        .contains(new AwsOperation("CloudWatch", "DescribeAlarms", Protocol.CBOR));
  }

  @Test
  void whatNamesNoOperationIsNotGuessed() {
    assertThat(
            AwsOperation.parse(
                null, "SageMaker.DescribeEndpoint", "application/x-amz-json-1.1", "/", bytes("{}")))
        .as("unsigned")
        .isEmpty();
    assertThat(
            AwsOperation.parse(
                signed("monitoring"),
                null,
                "application/x-www-form-urlencoded",
                "/",
                bytes("Version=2010-08-01")))
        .as("a form without Action")
        .isEmpty();
    assertThat(AwsOperation.parse(signed("monitoring"), null, "application/json", "/", bytes("{}")))
        .as("JSON without X-Amz-Target")
        .isEmpty();
    assertThat(
            AwsOperation.parse(
                signed("sagemaker"), "SageMaker", "application/x-amz-json-1.1", "/", bytes("{}")))
        .as("a target without an operation")
        .isEmpty();
  }
}
