package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Maps to the scalable target's SuspendedState; policies stay in place. */
@Data
@NoArgsConstructor
@AllArgsConstructor
public class SuspendSpec {
  @JsonPropertyDescription("Stop policies from removing capacity.")
  private boolean scaleIn;

  @JsonPropertyDescription("Stop policies from adding capacity.")
  private boolean scaleOut;

  @JsonPropertyDescription("Stop scheduled actions from running.")
  private boolean scheduled;
}
