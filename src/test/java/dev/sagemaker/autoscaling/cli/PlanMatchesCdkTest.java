package dev.sagemaker.autoscaling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code plan -f examples/realtime-seed.yaml} sends what the seed article's CDK stack sends, field
 * for field. The fixture src/test/resources/cdk/realtime-seed-requests.json was written by hand
 * from the CDK's source semantics (mission-anchors.md §6): ScalableTarget min 1 / max 3; target
 * tracking with the predefined SageMakerVariantInvocationsPerInstance and the endpoint's CPU and
 * memory metrics (namespace /aws/sagemaker/Endpoints, EndpointName and VariantName, Average, no
 * unit), cooldowns left out; StepScalingPolicy's normalize-and-split of the four scalingSteps into
 * a lower policy (threshold 30) and an upper policy (threshold 70), AdjustmentType
 * ChangeInCapacity, MetricAggregationType from the metric's statistic, no cooldown; one alarm per
 * side on the metric's default 5-minute period over evaluationPeriods 1.
 *
 * <p>Where the operator's request differs from the CDK's template only by saying AWS's own default
 * or by naming and tagging its objects, the difference is removed before comparing, each named
 * here:
 *
 * <ul>
 *   <li>names: the CDK generates them from construct ids; the fixture uses the operator's names;
 *   <li>{@code RoleARN}: the CDK creates a role, the operator leaves AAS its service-linked role
 *       (absent from both);
 *   <li>{@code Tags} (register, alarms): the operator's ownership tag, which the CDK does not add;
 *   <li>{@code SuspendedState} all false, {@code DisableScaleIn} false, {@code ActionsEnabled}
 *       true, {@code DatapointsToAlarm} = EvaluationPeriods, {@code TreatMissingData} missing: the
 *       values AWS applies when the CDK leaves them out;
 *   <li>{@code AlarmDescription}: the CDK's "Lower/Upper threshold scaling alarm", which the
 *       operator's text starts with, followed by its owner.
 * </ul>
 */
class PlanMatchesCdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theSeedExamplePlansTheCdkStacksRequests() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new PlanCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("-f", "examples/realtime-seed.yaml", "--cluster-name", "default");
    assertThat(exit).as(err.toString()).isZero();

    ArrayNode planned = (ArrayNode) JSON.readTree(out.toString());
    JsonNode cdk =
        JSON.readTree(Path.of("src/test/resources/cdk/realtime-seed-requests.json").toFile());

    for (JsonNode entry : planned) {
      ObjectNode request = (ObjectNode) entry.get("request");
      String operation = entry.get("operation").asText();
      request.remove("Tags");
      removeIf(
          request,
          "SuspendedState",
          JSON.readTree(
              "{\"DynamicScalingInSuspended\":false,\"DynamicScalingOutSuspended\":false,\"ScheduledScalingSuspended\":false}"));
      if (request.get("TargetTrackingScalingPolicyConfiguration") instanceof ObjectNode tracking) {
        removeIf(tracking, "DisableScaleIn", JSON.getNodeFactory().booleanNode(false));
      }
      if (operation.equals("PutMetricAlarm")) {
        assertThat(request.get("AlarmDescription").asText())
            .matches("(Lower|Upper) threshold scaling alarm.*");
        request.remove("AlarmDescription");
        removeIf(request, "ActionsEnabled", JSON.getNodeFactory().booleanNode(true));
        removeIf(request, "DatapointsToAlarm", request.get("EvaluationPeriods"));
        removeIf(request, "TreatMissingData", JSON.getNodeFactory().textNode("missing"));
      }
    }

    assertThat(planned).isEqualTo(cdk);
  }

  private static void removeIf(ObjectNode node, String field, JsonNode awsDefault) {
    if (awsDefault.equals(node.get(field))) {
      node.remove(field);
    }
  }
}
