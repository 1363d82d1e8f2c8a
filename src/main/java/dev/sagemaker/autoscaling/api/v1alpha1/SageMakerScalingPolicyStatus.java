package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/** Written only by the operator's status builder. */
@Data
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SageMakerScalingPolicyStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Reconciling and Stalled, as kstatus reads them (so Flux and Argo CD need no extra"
          + " configuration).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Application Auto Scaling resource id of the scalable target.")
  private String resourceId;

  @JsonPropertyDescription("Application Auto Scaling scalable dimension of the target.")
  private String scalableDimension;

  @JsonPropertyDescription("AWS region the objects live in.")
  private String region;

  @JsonPropertyDescription("What the operator last saw of the endpoint.")
  private EndpointStatus endpoint;

  @JsonPropertyDescription("Scaling policies this resource owns, with their ARNs and alarms.")
  private List<PolicyStatus> policies = new ArrayList<>();

  @JsonPropertyDescription("Scheduled actions this resource owns.")
  private List<String> scheduledActions = new ArrayList<>();

  @JsonPropertyDescription(
      "Bounds a scheduled action of the spec set on the target, which the operator leaves in force"
          + " until the spec changes; absent while the spec's minCapacity and maxCapacity are in"
          + " force.")
  private ScheduledBoundsStatus scheduledBounds;

  @JsonPropertyDescription(
      "Policies and scheduled actions on the same scalable target that another tool owns; the"
          + " operator leaves them alone.")
  private List<String> foreignObjects = new ArrayList<>();

  @JsonPropertyDescription(
      "The latest scaling activities of the target, newest first, read when the spec changes or the"
          + " capacity is moving (empty where AWS reports none).")
  private List<ScalingActivityStatus> recentActivities = new ArrayList<>();

  @JsonPropertyDescription(
      "Why the target did or did not scale: capacity, alarm states, the latest scaling and"
          + " not-scaled activities.")
  private ScalingStatus scaling;

  @JsonPropertyDescription(
      "When AWS was last verified equal to the spec (RFC 3339). Written when a pass changes AWS,"
          + " and otherwise at most once an hour, so a quiet resync writes no status; the metric"
          + " smsp_last_sync_timestamp_seconds shows each resync.")
  private String lastSyncTime;
}
