package dev.sagemaker.autoscaling.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The autoscaling set-up of one SageMaker endpoint variant or inference component: its scalable
 * target, target-tracking and step policies (with the alarms step policies need) and schedules.
 */
@Group(SageMakerScalingPolicy.GROUP)
@Version(SageMakerScalingPolicy.VERSION)
@ShortNames("smsp")
// The generator sorts printer columns by JSON path; src/build/OrderPrinterColumns.java (run by the
// build) orders them.
@AdditionalPrinterColumn(
    name = "Schedule",
    jsonPath = ".status.scheduledBounds.setBy",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// Why it did (not) scale, and since when: a date column prints as an age ("AtMax  12m"), so the
// status is not rewritten as the minutes pass.
@AdditionalPrinterColumn(
    name = "Since",
    jsonPath = ".status.scaling.since",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Scaling",
    jsonPath = ".status.scaling.summary",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Current",
    jsonPath = ".status.endpoint.currentCapacity",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Max",
    jsonPath = ".spec.maxCapacity",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Min",
    jsonPath = ".spec.minCapacity",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Component",
    jsonPath = ".spec.target.inferenceComponentName",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Variant",
    jsonPath = ".spec.target.variantName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Endpoint",
    jsonPath = ".spec.target.endpointName",
    type = AdditionalPrinterColumn.Type.STRING)
public class SageMakerScalingPolicy
    extends CustomResource<SageMakerScalingPolicySpec, SageMakerScalingPolicyStatus>
    implements Namespaced {
  public static final String GROUP = "autoscaling.sagemaker.dev";
  public static final String VERSION = "v1alpha1";
}
