package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.Annotations;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import java.util.Map;

/**
 * What the user's annotations ask of this pass. Annotations are tenant input: only "true" (any
 * case) turns one on, anything else is ignored.
 */
record Directives(boolean paused, boolean adopt, boolean deregister) {

  static Directives of(SageMakerScalingPolicy resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null
        ? new Directives(false, false, false)
        : new Directives(
            isTrue(annotations, Annotations.PAUSED),
            isTrue(annotations, Annotations.ADOPT),
            isTrue(annotations, Annotations.DEREGISTER));
  }

  private static boolean isTrue(Map<String, String> annotations, String name) {
    return "true".equalsIgnoreCase(annotations.get(name));
  }
}
