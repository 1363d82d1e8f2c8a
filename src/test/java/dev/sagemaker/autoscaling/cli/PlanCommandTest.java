package dev.sagemaker.autoscaling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `plan` works offline: the AWS requests in API-reference spelling, or a message naming the field.
 */
class PlanCommandTest {
  private record Result(int exit, String out, String err) {}

  private static Result plan(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new PlanCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void theSeedStackPrintsItsRequestsInOrderWithAwsFieldNames() throws Exception {
    Result result = plan("-f", "examples/realtime-seed.yaml", "--cluster-name", "prod");
    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode requests = new ObjectMapper().readTree(result.out());
    assertThat(requests)
        .extracting(r -> r.get("service").asText() + " " + r.get("operation").asText())
        .containsExactly(
            "application-autoscaling RegisterScalableTarget",
            "application-autoscaling PutScalingPolicy",
            "application-autoscaling PutScalingPolicy",
            "application-autoscaling PutScalingPolicy",
            "application-autoscaling PutScalingPolicy",
            "application-autoscaling PutScalingPolicy",
            "cloudwatch PutMetricAlarm",
            "cloudwatch PutMetricAlarm");
    JsonNode register = requests.get(0).get("request");
    assertThat(register.get("ResourceId").asText())
        .isEqualTo("endpoint/recommender-prod/variant/prod");
    assertThat(register.get("MinCapacity").asInt()).isEqualTo(1);
    assertThat(register.get("MaxCapacity").asInt()).isEqualTo(3);
    assertThat(register.get("Tags").get("autoscaling.sagemaker.dev/owner").asText())
        .isEqualTo("prod/default/recommender");

    JsonNode upper = requests.get(5).get("request");
    assertThat(upper.get("PolicyName").asText())
        .isEqualTo("smsp_prod_default_recommender_cpu-steps_upper");
    JsonNode steps = upper.get("StepScalingPolicyConfiguration").get("StepAdjustments");
    assertThat(steps.get(0).get("MetricIntervalLowerBound").asDouble()).isEqualTo(0.0);
    assertThat(steps.get(0).get("MetricIntervalUpperBound").asDouble()).isEqualTo(30.0);
    assertThat(steps.get(1).get("ScalingAdjustment").asInt()).isEqualTo(2);
    assertThat(steps.get(1).has("MetricIntervalUpperBound")).isFalse();

    JsonNode alarm = requests.get(7).get("request");
    assertThat(alarm.get("AlarmName").asText())
        .isEqualTo("smsp_prod_default_recommender_cpu-steps_upper");
    assertThat(alarm.get("Threshold").asDouble()).isEqualTo(70.0);
    assertThat(alarm.get("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
    assertThat(alarm.get("AlarmActions").get(0).asText())
        .isEqualTo("${PolicyARN:smsp_prod_default_recommender_cpu-steps_upper}");
  }

  @Test
  void textOutputSaysWhenEachPolicyFiresAndWhatItDoes() {
    Result result = plan("-f", "examples/realtime-seed.yaml", "-o", "text");
    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("keeps SageMakerVariantInvocationsPerInstance at 1000")
        .contains("CPUUtilization ≤ 30 in 1 of 1 periods of 300 s")
        .contains("metric 70 to 100: add 1")
        .contains("metric 100 to +∞: add 2")
        .contains("then waits 300 s, AWS's default")
        .contains(
            "spec.targetTracking[0].scaleOutCooldownSeconds = 300 s (AWS default: left out of the"
                + " request;")
        .contains("spec.stepScaling[0].alarm.periodSeconds = 300 s (AWS CDK default:")
        .doesNotContain("variantName = AllTraffic");
  }

  @Test
  void anInvalidManifestNamesTheFieldAndExitsNonZero(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("bad.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: autoscaling.sagemaker.dev/v1alpha1
        kind: SageMakerScalingPolicy
        metadata: {name: bad, namespace: ml}
        spec:
          modelType: RealTime
          target: {endpointName: ep}
          minCapacity: 4
          maxCapacity: 2
          stepScaling:
            - name: s
              metric: CPUUtilization
              steps: [{lower: 10, upper: 50, change: -1}, {lower: 40, change: 1}]
        """);
    Result result = plan("-f", manifest.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .contains("ml/bad: spec.minCapacity")
        .contains("spec.stepScaling[0].steps")
        .contains("overlap");
  }

  @Test
  void aPerCoreMetricNeedsTheInstanceTypeOffline() {
    Result without = plan("-f", "examples/realtime-cpu-per-core.yaml");
    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.err()).contains("spec.targetTracking[0].metric").contains("instance type");
    Result with =
        plan("-f", "examples/realtime-cpu-per-core.yaml", "--instance-type", "ml.c5.2xlarge");
    assertThat(with.exit()).isZero();
    assertThat(with.out()).contains("\"Expression\" : \"m1 / 8\"");
  }
}
