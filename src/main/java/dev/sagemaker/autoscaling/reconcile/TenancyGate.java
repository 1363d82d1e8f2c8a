package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.tenancy.Denial;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants;
import dev.sagemaker.autoscaling.tenancy.TenancyMode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The reconciler's half of the namespace grants (the admission policy is the other): whether a
 * resource may ask for its target, region, role and adoption, decided before any AWS call, so it
 * holds where the admission policy is not installed or was bypassed.
 */
public final class TenancyGate {
  private final TenancyMode mode;
  private final NamespaceAnnotations namespaces;

  public TenancyGate(TenancyMode mode, NamespaceAnnotations namespaces) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
  }

  /** Every namespace may do everything; reads no namespace. */
  public static TenancyGate open() {
    return new TenancyGate(TenancyMode.OPEN, namespace -> Map.of());
  }

  public TenancyMode mode() {
    return mode;
  }

  /** What the resource asks for that its namespace does not grant; empty when allowed. */
  Optional<Denial> check(SageMakerScalingPolicy resource, Optional<String> operatorRegion) {
    if (mode == TenancyMode.OPEN) {
      return Optional.empty();
    }
    SageMakerScalingPolicySpec spec = resource.getSpec();
    String namespace = resource.getMetadata().getNamespace();
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    NamespaceGrants.Request request =
        NamespaceGrants.Request.of(
            spec.getTarget() == null ? null : spec.getTarget().getEndpointName(),
            spec.getTarget() == null ? null : spec.getTarget().getInferenceComponentName(),
            spec.getAws() == null ? null : spec.getAws().getRoleArn(),
            spec.getAws() == null ? null : spec.getAws().getRegion(),
            annotations == null ? null : annotations.get(NamespaceGrants.ADOPT),
            mode,
            operatorRegion.orElse(null));
    return NamespaceGrants.check(
        NamespaceGrants.fromAnnotations(namespace, namespaces.of(namespace)), request);
  }
}
