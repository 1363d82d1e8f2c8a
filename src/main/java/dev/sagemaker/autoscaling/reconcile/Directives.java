package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.Annotations;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import java.util.List;
import java.util.Map;

/**
 * What the user's annotations ask of this pass. Annotations are tenant input: only "true" (any
 * case) turns one on, anything else is ignored; a value that is neither "true" nor "false" is
 * reported by {@link #misspelled}, because a typo such as "yes" on the paused switch would
 * otherwise silently leave the operator writing.
 */
record Directives(boolean paused, boolean adopt, boolean deregister) {
  private static final List<String> SWITCHES =
      List.of(Annotations.PAUSED, Annotations.ADOPT, Annotations.DEREGISTER);

  static Directives of(SageMakerScalingPolicy resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null
        ? new Directives(false, false, false)
        : new Directives(
            isTrue(annotations, Annotations.PAUSED),
            isTrue(annotations, Annotations.ADOPT),
            isTrue(annotations, Annotations.DEREGISTER));
  }

  /** One message per switch annotation whose value is neither "true" nor "false" (any case). */
  static List<String> misspelled(SageMakerScalingPolicy resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    if (annotations == null) {
      return List.of();
    }
    return SWITCHES.stream()
        .filter(name -> annotations.containsKey(name))
        .filter(
            name ->
                !"true".equalsIgnoreCase(annotations.get(name))
                    && !"false".equalsIgnoreCase(annotations.get(name)))
        .map(
            name ->
                "annotation "
                    + name
                    + " has the value \""
                    + shorten(String.valueOf(annotations.get(name)))
                    + "\", which is ignored: only \"true\" or \"false\" mean something")
        .toList();
  }

  private static boolean isTrue(Map<String, String> annotations, String name) {
    return "true".equalsIgnoreCase(annotations.get(name));
  }

  /** Annotation values are tenant input of up to 256 KiB; an Event needs only the start. */
  private static String shorten(String value) {
    return value.length() > 64 ? value.substring(0, 61) + "..." : value;
  }
}
