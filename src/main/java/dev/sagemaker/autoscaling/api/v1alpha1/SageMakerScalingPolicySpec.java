package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.minCapacity <= self.maxCapacity",
    message = "spec.minCapacity must be less than or equal to spec.maxCapacity",
    fieldPath = ".minCapacity")
@ValidationRule(
    value =
        "self.minCapacity >= 1 || self.modelType == 'Async' ||"
            + " has(self.target.inferenceComponentName)",
    message =
        "spec.minCapacity must be at least 1: only Async endpoints and inference components can"
            + " scale to zero",
    fieldPath = ".minCapacity")
@ValidationRule(
    value =
        "self.targetTracking.size() + 2 * self.stepScaling.size() + (self.scaleFromZero ? 1 : 0) <="
            + " "
            + SpecLimits.MAX_POLICIES_PER_TARGET,
    message =
        "spec: at most "
            + SpecLimits.MAX_POLICIES_PER_TARGET
            + " scaling policies per scalable target (each stepScaling item counts as two)")
@ValidationRule(
    value =
        "self.minCapacity > 0 || !has(self.target.inferenceComponentName) || self.scaleFromZero",
    message =
        "spec.scaleFromZero: " + SageMakerScalingPolicySpec.COMPONENT_AT_ZERO_NEEDS_SCALE_FROM_ZERO,
    fieldPath = ".scaleFromZero")
@ValidationRule(
    value = "self.targetTracking.all(a, self.targetTracking.exists_one(b, b.name == a.name))",
    message = "spec.targetTracking: item names must be unique",
    fieldPath = ".targetTracking")
@ValidationRule(
    value = "self.stepScaling.all(a, self.stepScaling.exists_one(b, b.name == a.name))",
    message = "spec.stepScaling: item names must be unique",
    fieldPath = ".stepScaling")
@ValidationRule(
    value = "self.schedules.all(a, self.schedules.exists_one(b, b.name == a.name))",
    message = "spec.schedules: item names must be unique",
    fieldPath = ".schedules")
@ValidationRule(
    value =
        "!self.scaleFromZero || self.modelType == 'Async' ||"
            + " has(self.target.inferenceComponentName)",
    message = "spec.scaleFromZero is only for Async endpoints and inference components",
    fieldPath = ".scaleFromZero")
// What AWS objects a resource holds is decided by target, region and role: changing them in place
// would leave the old target's policies scaling it. Unset and default values compare equal.
@ValidationRule(
    value =
        SageMakerScalingPolicySpec.ENDPOINT_NOW
            + " == "
            + SageMakerScalingPolicySpec.ENDPOINT_BEFORE
            + " && "
            + SageMakerScalingPolicySpec.VARIANT_NOW
            + " == "
            + SageMakerScalingPolicySpec.VARIANT_BEFORE
            + " && "
            + SageMakerScalingPolicySpec.COMPONENT_NOW
            + " == "
            + SageMakerScalingPolicySpec.COMPONENT_BEFORE,
    message =
        "spec.target is immutable: to scale another endpoint, variant or inference component,"
            + " delete this resource (which removes its autoscaling) and create a new one",
    fieldPath = ".target")
@ValidationRule(
    value = SageMakerScalingPolicySpec.UNIT_NOW + " == " + SageMakerScalingPolicySpec.UNIT_BEFORE,
    message =
        "spec.target.capacityUnit is immutable: delete this resource (which removes its"
            + " autoscaling) and create a new one with the other unit",
    fieldPath = ".target.capacityUnit")
@ValidationRule(
    value =
        "(has(self.aws) && has(self.aws.region) ? self.aws.region : '') == (has(oldSelf.aws) &&"
            + " has(oldSelf.aws.region) ? oldSelf.aws.region : '')",
    message =
        "spec.aws.region is immutable: delete this resource (which removes its autoscaling in"
            + " the old region) and create a new one",
    fieldPath = ".aws")
@ValidationRule(
    value =
        "(has(self.aws) && has(self.aws.roleArn) ? self.aws.roleArn : '') == (has(oldSelf.aws) &&"
            + " has(oldSelf.aws.roleArn) ? oldSelf.aws.roleArn : '')",
    message =
        "spec.aws.roleArn is immutable: delete this resource (which removes its autoscaling"
            + " through the old role) and create a new one",
    fieldPath = ".aws")
public class SageMakerScalingPolicySpec {
  static final String ENDPOINT_NOW =
      "(has(self.target.endpointName) ? self.target.endpointName : '')";
  static final String ENDPOINT_BEFORE =
      "(has(oldSelf.target.endpointName) ? oldSelf.target.endpointName : '')";
  static final String VARIANT_NOW =
      "(has(self.target.variantName) ? self.target.variantName : 'AllTraffic')";
  static final String VARIANT_BEFORE =
      "(has(oldSelf.target.variantName) ? oldSelf.target.variantName : 'AllTraffic')";
  static final String COMPONENT_NOW =
      "(has(self.target.inferenceComponentName) ? self.target.inferenceComponentName : '')";
  static final String COMPONENT_BEFORE =
      "(has(oldSelf.target.inferenceComponentName) ? oldSelf.target.inferenceComponentName : '')";
  static final String UNIT_NOW =
      "(has(self.target.capacityUnit) ? self.target.capacityUnit :"
          + " has(self.target.inferenceComponentName) ? 'Copies' : 'Instances')";
  static final String UNIT_BEFORE =
      "(has(oldSelf.target.capacityUnit) ? oldSelf.target.capacityUnit :"
          + " has(oldSelf.target.inferenceComponentName) ? 'Copies' : 'Instances')";
  public static final String COMPONENT_AT_ZERO_NEEDS_SCALE_FROM_ZERO =
      "an inference component at minCapacity 0 never leaves zero copies without scaleFromZero: true"
          + " (target tracking has no metric while no copy runs)";

  @Required
  @JsonPropertyDescription(
      "How the model is invoked: RealTime (synchronous, request-driven), Async (queued requests,"
          + " may scale to and from zero on the backlog) or Batch (periodic bursts: schedules plus"
          + " CPU or request scaling). Decides what is accepted (only Async endpoints scale to"
          + " zero, BacklogSizePerInstance is Async only); cooldowns the spec leaves out are AWS's"
          + " 300 s whatever the type, and `plan -o text` says what each type usually wants.")
  private ModelType modelType;

  @Required
  @JsonPropertyDescription("What scales: an endpoint variant, or an inference component.")
  private ScalingTarget target;

  @JsonPropertyDescription(
      "AWS account access for this resource. Unset fields fall back to the operator's defaults.")
  private AwsSettings aws;

  @Required
  @Min(0)
  @Max(SpecLimits.MAX_CAPACITY)
  @JsonPropertyDescription(
      "Lowest capacity autoscaling may set (instances, provisioned concurrency or copies).")
  private Integer minCapacity;

  @Required
  @Min(0)
  @Max(SpecLimits.MAX_CAPACITY)
  @JsonPropertyDescription("Highest capacity autoscaling may set.")
  private Integer maxCapacity;

  @Size(max = SpecLimits.MAX_POLICIES_PER_TARGET)
  @Default("[]")
  @JsonPropertyDescription(
      "Target-tracking policies: Application Auto Scaling keeps each metric near its target value.")
  @JsonSetter(nulls = Nulls.AS_EMPTY)
  private List<TargetTrackingPolicy> targetTracking = new ArrayList<>();

  @Size(max = SpecLimits.MAX_STEP_SCALING_ITEMS)
  @Default("[]")
  @JsonPropertyDescription(
      "Step-scaling policies: bands of absolute metric values with the capacity change each"
          + " applies. Each item becomes up to two policies (below and above the no-change band)"
          + " and one CloudWatch alarm for each.")
  @JsonSetter(nulls = Nulls.AS_EMPTY)
  private List<StepScalingPolicy> stepScaling = new ArrayList<>();

  @Size(max = SpecLimits.MAX_SCHEDULES)
  @Default("[]")
  @JsonPropertyDescription(
      "Scheduled actions that change minCapacity and maxCapacity at given times.")
  @JsonSetter(nulls = Nulls.AS_EMPTY)
  private List<ScheduleSpec> schedules = new ArrayList<>();

  @Default("false")
  @JsonPropertyDescription(
      "Async endpoints and inference components only: add the step policy and alarm AWS documents"
          + " for scaling out from zero capacity (HasBacklogWithoutCapacity,"
          + " NoCapacityInvocationFailures).")
  private Boolean scaleFromZero = false;

  @JsonPropertyDescription("Suspends scaling activities without removing any policy.")
  private SuspendSpec suspend;

  @Default("Delete")
  @JsonPropertyDescription(
      "What happens in AWS when this resource is deleted: Delete removes the alarms, policies,"
          + " schedules and the scalable target this resource created; Retain leaves them in"
          + " place.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Delete;
}
