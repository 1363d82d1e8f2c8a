package dev.sagemaker.autoscaling.plan;

import dev.sagemaker.autoscaling.api.v1alpha1.ModelType;

/**
 * Cooldowns used where the spec leaves them out. Real-time traffic needs capacity fast; async
 * backlogs and batch bursts tolerate delay and should not flap, so they scale in more slowly (the
 * seed article: "CPU-based scaling with longer cooldowns prevents over-scaling").
 */
public record ModelDefaults(int scaleOutCooldownSeconds, int scaleInCooldownSeconds) {

  public static ModelDefaults of(ModelType type) {
    return switch (type) {
      case RealTime -> new ModelDefaults(60, 300);
      case Async -> new ModelDefaults(300, 600);
      case Batch -> new ModelDefaults(120, 600);
    };
  }
}
