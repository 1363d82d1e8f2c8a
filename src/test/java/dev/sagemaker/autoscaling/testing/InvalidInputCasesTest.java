package dev.sagemaker.autoscaling.testing;

import static dev.sagemaker.autoscaling.testing.InvalidInputCases.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.testing.InvalidInputCases.Layer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The table of bad input changes exactly what each case says, and its validator cases read as typed
 * specs.
 */
class InvalidInputCasesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aMutationSetsItsPathAndLeavesTheRestOfTheSeed() {
    ObjectNode seed = InvalidInputCases.manifest(new InvalidInputCases.Mutation(Map.of()));
    ObjectNode changed =
        InvalidInputCases.manifest(
            set("spec.stepScaling[0].alarm", Map.of("periodSeconds", 45))
                .set("spec.targetTracking[1].name", "requests"));
    assertThat(changed.at("/spec/stepScaling/0/alarm/periodSeconds").asInt()).isEqualTo(45);
    assertThat(changed.at("/spec/targetTracking/1/name").asText()).isEqualTo("requests");
    ((ObjectNode) changed.at("/spec/stepScaling/0")).remove("alarm");
    ((ObjectNode) changed.at("/spec/targetTracking/1")).put("name", "cpu");
    assertThat(changed).isEqualTo(seed);
  }

  @Test
  void aPathThroughAMissingListIsAnError() {
    assertThatThrownBy(() -> InvalidInputCases.manifest(set("spec.schedules[0].name", "n")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyCaseChangesTheSeedAndNamesAField() {
    ObjectNode seed = InvalidInputCases.manifest(new InvalidInputCases.Mutation(Map.of()));
    assertThat(InvalidInputCases.all())
        .allSatisfy(
            bad -> {
              assertThat(InvalidInputCases.manifest(bad.mutation()))
                  .as(bad.description())
                  .isNotEqualTo(seed);
              assertThat(bad.field()).as(bad.description()).startsWith("spec");
            });
  }

  @Test
  void everyCaseForTheValidatorReadsAsATypedSpec() throws Exception {
    for (InvalidInputCases.Case bad : InvalidInputCases.refusedBy(Layer.INVALID_SPEC)) {
      SageMakerScalingPolicySpec spec =
          JSON.treeToValue(
              InvalidInputCases.manifest(bad.mutation()).get("spec"),
              SageMakerScalingPolicySpec.class);
      assertThat(spec.getTarget().getEndpointName())
          .as(bad.description())
          .isEqualTo("recommender-prod");
    }
  }
}
