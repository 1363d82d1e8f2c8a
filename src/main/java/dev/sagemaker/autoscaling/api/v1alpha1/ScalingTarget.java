package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.endpointName) != has(self.inferenceComponentName)",
    message = "spec.target: set exactly one of endpointName or inferenceComponentName")
@ValidationRule(
    value =
        "!has(self.inferenceComponentName) || (!has(self.variantName) && (!has(self.capacityUnit)"
            + " || self.capacityUnit == 'Copies'))",
    message = "spec.target: an inference component scales in Copies and takes no variantName")
@ValidationRule(
    value = "!has(self.endpointName) || !has(self.capacityUnit) || self.capacityUnit != 'Copies'",
    message = "spec.target.capacityUnit: Copies is only for inferenceComponentName",
    fieldPath = ".capacityUnit")
public class ScalingTarget {
  static final String SAGEMAKER_NAME = SpecLimits.SAGEMAKER_NAME_PATTERN;

  @Size(max = SpecLimits.MAX_SAGEMAKER_NAME_LENGTH)
  @Pattern(SAGEMAKER_NAME)
  @JsonPropertyDescription(
      "Name of the SageMaker endpoint (1 to 63 letters, digits and hyphens). The endpoint may be"
          + " created after this resource; the operator waits for it.")
  private String endpointName;

  @Size(max = SpecLimits.MAX_SAGEMAKER_NAME_LENGTH)
  @Pattern(SAGEMAKER_NAME)
  @JsonPropertyDescription("Production variant of the endpoint to scale. Defaults to AllTraffic.")
  private String variantName;

  @Size(max = SpecLimits.MAX_SAGEMAKER_NAME_LENGTH)
  @Pattern(SAGEMAKER_NAME)
  @JsonPropertyDescription(
      "Name of an inference component to scale by its copy count, instead of an endpoint variant.")
  private String inferenceComponentName;

  @JsonPropertyDescription(
      "What the capacities count: Instances (default for variants), ProvisionedConcurrency"
          + " (serverless variants) or Copies (inference components, the only choice there).")
  private CapacityUnit capacityUnit;

  /** The variant, with the default applied. */
  public String effectiveVariantName() {
    return variantName == null ? "AllTraffic" : variantName;
  }

  /** The capacity unit, with the default for the kind of target applied. */
  public CapacityUnit effectiveCapacityUnit() {
    if (inferenceComponentName != null) {
      return CapacityUnit.Copies;
    }
    return capacityUnit == null ? CapacityUnit.Instances : capacityUnit;
  }
}
