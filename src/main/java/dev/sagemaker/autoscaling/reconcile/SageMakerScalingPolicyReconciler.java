package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.DeletionPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.aws.AwsApiException;
import dev.sagemaker.autoscaling.aws.AwsClientFactory;
import dev.sagemaker.autoscaling.aws.AwsErrorKind;
import dev.sagemaker.autoscaling.aws.ScalingApi;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.Planner;
import dev.sagemaker.autoscaling.plan.SpecValidator;
import dev.sagemaker.autoscaling.plan.SpecProblem;
import dev.sagemaker.autoscaling.plan.TargetKey;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JOSDK entry point: resolves the resource's AWS access and ownership, runs one {@link
 * Converger} pass, and hands the outcome to the {@link StatusBuilder}. AWS errors never escape as
 * exceptions: recoverable ones are retried here with exponential backoff and jitter, terminal ones
 * wait for a spec change or the resync.
 */
@ControllerConfiguration(
    name = "sagemakerscalingpolicy",
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class SageMakerScalingPolicyReconciler implements Reconciler<SageMakerScalingPolicy>, Cleaner<SageMakerScalingPolicy> {
  public static final String PAUSE_ANNOTATION = "autoscaling.sagemaker.dev/paused";
  public static final String ADOPT_ANNOTATION = "autoscaling.sagemaker.dev/adopt";
  /** Removes everything from AWS and holds, so the endpoint's instance type can be changed (AWS requires it). */
  public static final String DEREGISTER_ANNOTATION = "autoscaling.sagemaker.dev/deregister";
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerScalingPolicyReconciler.class);

  private final AwsClientFactory aws;
  private final StatusBuilder statusBuilder;
  private final EventRecorder events;
  private final ReconcilerSettings settings;
  private final ReconcileMetrics metrics;
  private final Inventory inventory;
  private final Map<String, Integer> failuresInARow = new ConcurrentHashMap<>();

  public SageMakerScalingPolicyReconciler(AwsClientFactory aws, StatusBuilder statusBuilder, EventRecorder events,
      ReconcilerSettings settings, ReconcileMetrics metrics, Clock clock) {
    this.aws = aws;
    this.statusBuilder = statusBuilder;
    this.events = events;
    this.settings = settings;
    this.metrics = metrics;
    this.inventory = new Inventory(clock, settings.resync(), "smsp_" + settings.clusterName() + "_");
  }

  /** Stops the background inventory refresh. */
  public void close() {
    inventory.close();
  }

  @Override
  public UpdateControl<SageMakerScalingPolicy> reconcile(SageMakerScalingPolicy resource, Context<SageMakerScalingPolicy> context) {
    long started = System.nanoTime();
    Outcome outcome = decide(resource, context);
    if (!(outcome instanceof Outcome.Converged)) {
      // Paused, stalled or waiting: nothing of this resource is worth reading in the background.
      statusKey(resource.getStatus()).ifPresent(inventory::untrack);
    }
    metrics.recordPass(resource.getMetadata().getUid(), outcome.getClass().getSimpleName(), stateOf(outcome),
        Duration.ofNanos(System.nanoTime() - started));
    return finish(resource, outcome);
  }

  private Outcome decide(SageMakerScalingPolicy resource, Context<SageMakerScalingPolicy> context) {
    SageMakerScalingPolicySpec spec = resource.getSpec();
    Owner owner = owner(resource);
    if (isPaused(resource)) {
      return new Outcome.Paused("reconciliation is paused by the annotation " + PAUSE_ANNOTATION + "; AWS is neither read nor written");
    }
    List<SpecProblem> problems = SpecValidator.validate(spec, owner);
    if (!problems.isEmpty()) {
      return new Outcome.Stalled(null, null, "InvalidSpec",
          problems.stream().map(SpecProblem::toString).reduce((a, b) -> a + "; " + b).orElse(""));
    }
    TargetKey key = Planner.targetKey(spec);
    Optional<SageMakerScalingPolicy> holder = conflictingOwner(resource, key, context);
    if (holder.isPresent()) {
      return new Outcome.Stalled(key, null, "Conflict",
          key.resourceId() + " is already managed by " + holder.get().getMetadata().getNamespace() + "/"
              + holder.get().getMetadata().getName() + "; this resource writes nothing until that one is deleted");
    }
    String region = regionOf(spec);
    if ("true".equalsIgnoreCase(annotation(resource, DEREGISTER_ANNOTATION))) {
      return deregister(resource, key, region);
    }
    String roleArn = roleArnOf(spec);
    String scope = scopeOf(region, roleArn);
    try {
      ScalingApi api = aws.forTarget(region, roleArn);
      // A resync of a converged resource reads the shared snapshot; anything else reads AWS directly.
      Optional<ObservedState> snapshot = isResyncOfConverged(resource, key)
          ? inventory.observe(scope, api, key, owner, () -> convergedTargets(scope, context))
          : Optional.empty();
      Outcome outcome = new Converger(api).converge(spec, owner, region, ownedSummary(resource.getStatus(), key),
          "true".equalsIgnoreCase(annotation(resource, ADOPT_ANNOTATION)), snapshot);
      if (!(outcome instanceof Outcome.Converged c) || !c.changes().isEmpty()) {
        inventory.written(key);
      }
      if (outcome instanceof Outcome.Converged) {
        // Only what the operator manages is worth a place in the shared snapshot.
        inventory.track(scope, api, key);
      }
      return outcome;
    } catch (AwsApiException e) {
      inventory.written(key);
      return awsFailure(key, region, e);
    } catch (IllegalStateException e) {
      return new Outcome.Stalled(key, region, "NoRegion", e.getMessage());
    }
  }

  private static String scopeOf(String region, String roleArn) {
    return region + "|" + Objects.toString(roleArn, "");
  }

  /** The targets of every resource in the scope that converged before (for the first snapshot after a start). */
  private Collection<TargetKey> convergedTargets(String scope, Context<SageMakerScalingPolicy> context) {
    return context.getPrimaryCache().list()
        .filter(r -> r.getSpec() != null && r.getStatus() != null && r.getStatus().getResourceId() != null)
        .filter(r -> scope.equals(scopeOf(regionOf(r.getSpec()), roleArnOf(r.getSpec()))))
        .flatMap(r -> statusKey(r.getStatus()).filter(k -> isResyncOfConverged(r, k)).stream())
        .toList();
  }

  private static Optional<TargetKey> statusKey(SageMakerScalingPolicyStatus status) {
    return status == null || status.getResourceId() == null
        ? Optional.empty()
        : Optional.of(new TargetKey(status.getResourceId(), status.getScalableDimension()));
  }

  /** The spec has not changed since the last pass, and that pass found AWS equal to it. */
  private static boolean isResyncOfConverged(SageMakerScalingPolicy resource, TargetKey key) {
    SageMakerScalingPolicyStatus status = resource.getStatus();
    return ownsTarget(status, key)
        && Objects.equals(status.getObservedGeneration(), resource.getMetadata().getGeneration())
        && status.getConditions().stream().anyMatch(c ->
            StatusBuilder.READY.equals(c.getType()) && "True".equals(c.getStatus()) && "Converged".equals(c.getReason()));
  }

  /** Tears down what this resource created, as deletion with the Delete policy does, and holds. */
  private Outcome deregister(SageMakerScalingPolicy resource, TargetKey key, String region) {
    SageMakerScalingPolicyStatus status = resource.getStatus();
    String message = "deregistered from Application Auto Scaling by the annotation " + DEREGISTER_ANNOTATION
        + "; update the endpoint, then remove the annotation to register again";
    if (status == null || status.getResourceId() == null) {
      return new Outcome.Deregistered(message);
    }
    try {
      ScalingApi api = aws.forTarget(region, roleArnOf(resource.getSpec()));
      List<String> removed = new Converger(api).teardown(key, owner(resource), ownsTarget(status, key));
      LOG.info("deregistered {}/{} for an endpoint update: {}", resource.getMetadata().getNamespace(), resource.getMetadata().getName(), removed);
      return new Outcome.Deregistered(message);
    } catch (AwsApiException e) {
      return awsFailure(key, region, e);
    }
  }

  /** Terminal errors wait for a change of spec or permissions; the rest are retried with backoff. */
  private static Outcome awsFailure(TargetKey key, String region, AwsApiException e) {
    return e.kind() == AwsErrorKind.TERMINAL
        ? new Outcome.Stalled(key, region, "AwsRejected", e.getMessage())
        : new Outcome.Retrying(key, region, "AwsRetrying", e.getMessage());
  }

  private static String roleArnOf(SageMakerScalingPolicySpec spec) {
    return spec.getAws() == null ? null : spec.getAws().getRoleArn();
  }

  private static String stateOf(Outcome outcome) {
    if (outcome instanceof Outcome.Converged) {
      return "Ready";
    }
    if (outcome instanceof Outcome.Paused || outcome instanceof Outcome.Deregistered) {
      return "Paused";
    }
    return outcome instanceof Outcome.Stalled ? "Stalled" : "Reconciling";
  }

  @Override
  public DeleteControl cleanup(SageMakerScalingPolicy resource, Context<SageMakerScalingPolicy> context) {
    events.forget(resource);
    metrics.forget(resource.getMetadata().getUid());
    failuresInARow.remove(resource.getMetadata().getUid());
    SageMakerScalingPolicySpec spec = resource.getSpec();
    SageMakerScalingPolicyStatus status = resource.getStatus();
    if (spec == null || spec.getDeletionPolicy() == DeletionPolicy.Retain || (status != null && isConflicted(status))) {
      return DeleteControl.defaultDelete();
    }
    Owner owner = owner(resource);
    // The status may be missing when the operator stopped between its first write and the status
    // patch, so a valid spec is enough to look for what this resource may have created.
    Optional<TargetKey> key = statusKey(status)
        .or(() -> SpecValidator.validate(spec, owner).isEmpty() ? Optional.of(Planner.targetKey(spec)) : Optional.empty());
    String region = status != null && status.getRegion() != null ? status.getRegion() : regionOf(spec);
    if (key.isEmpty() || region == null) {
      return DeleteControl.defaultDelete();
    }
    inventory.untrack(key.get());
    try {
      List<String> removed = new Converger(aws.forTarget(region, roleArnOf(spec))).teardown(key.get(), owner, ownsTarget(status, key.get()));
      LOG.info("deleted {} AWS objects of {}/{}: {}", removed.size(), resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(), removed);
      return DeleteControl.defaultDelete();
    } catch (AwsApiException e) {
      events.warning(resource, "CleanupFailed", e.getMessage());
      LOG.warn("cleanup of {}/{} failed, will retry: {}", resource.getMetadata().getNamespace(), resource.getMetadata().getName(), e.getMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff(resource).toMillis());
    }
  }

  @Override
  public ErrorStatusUpdateControl<SageMakerScalingPolicy> updateErrorStatus(
      SageMakerScalingPolicy resource, Context<SageMakerScalingPolicy> context, Exception e) {
    if (isInterruption(e)) {
      // The operator is stopping and interrupted this pass; the next leader or start finishes it.
      return ErrorStatusUpdateControl.<SageMakerScalingPolicy>noStatusUpdate().withNoRetry();
    }
    if (e instanceof KubernetesClientException k && k.getCode() == 404) {
      // Deleted while this pass ran: there is no status left to write.
      LOG.debug("{}/{} is gone", resource.getMetadata().getNamespace(), resource.getMetadata().getName());
      return ErrorStatusUpdateControl.<SageMakerScalingPolicy>noStatusUpdate().withNoRetry();
    }
    // Only unexpected failures reach here (AWS errors are handled in reconcile): say so and let
    // JOSDK's retry back off.
    LOG.error("unexpected failure reconciling {}/{}", resource.getMetadata().getNamespace(), resource.getMetadata().getName(), e);
    SageMakerScalingPolicy fresh = statusOnly(resource,
        statusBuilder.build(resource, new Outcome.Retrying(null, null, "InternalError", String.valueOf(e.getMessage()))));
    return ErrorStatusUpdateControl.patchStatus(fresh);
  }

  private static boolean isInterruption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  private UpdateControl<SageMakerScalingPolicy> finish(SageMakerScalingPolicy resource, Outcome outcome) {
    recordEvent(resource, outcome);
    SageMakerScalingPolicyStatus status = statusBuilder.build(resource, outcome);
    UpdateControl<SageMakerScalingPolicy> control = UpdateControl.patchStatus(statusOnly(resource, status));
    String uid = resource.getMetadata().getUid();
    if (outcome instanceof Outcome.Retrying) {
      return control.rescheduleAfter(backoff(resource));
    }
    failuresInARow.remove(uid);
    if (outcome instanceof Outcome.Waiting) {
      return control.rescheduleAfter(settings.waitInterval());
    }
    return control;
  }

  private void recordEvent(SageMakerScalingPolicy resource, Outcome outcome) {
    if (outcome instanceof Outcome.Converged c && !c.changes().isEmpty()) {
      boolean drift = resource.getStatus() != null
          && Objects.equals(resource.getStatus().getObservedGeneration(), resource.getMetadata().getGeneration())
          && resource.getStatus().getConditions().stream()
              .anyMatch(x -> StatusBuilder.READY.equals(x.getType()) && "True".equals(x.getStatus()));
      String summary = c.changes().size() + " AWS change(s): " + String.join("; ", c.changes());
      if (drift) {
        metrics.recordDriftCorrected();
        events.warning(resource, "DriftCorrected", "AWS had drifted from the spec; restored with " + summary);
      } else {
        events.normal(resource, "Applied", "Applied " + summary);
      }
    } else if (outcome instanceof Outcome.Stalled s) {
      events.warning(resource, s.reason(), s.message());
    } else if (outcome instanceof Outcome.Retrying r) {
      events.warning(resource, r.reason(), r.message());
    } else if (outcome instanceof Outcome.Waiting w) {
      events.normal(resource, w.reason(), w.message());
    } else if (outcome instanceof Outcome.Paused p) {
      events.normal(resource, "Paused", p.message());
    } else if (outcome instanceof Outcome.Deregistered d) {
      events.normal(resource, "Deregistered", d.message());
    }
  }

  /** Exponential backoff with full jitter, per resource, reset by any other outcome. */
  private Duration backoff(SageMakerScalingPolicy resource) {
    int failures = failuresInARow.merge(resource.getMetadata().getUid(), 1, Integer::sum);
    long cap = Math.min(settings.retryMax().toMillis(), settings.retryBase().toMillis() << Math.min(failures - 1, 20));
    return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
  }

  /**
   * Another resource in this cluster that targets the same scalable target and came first (oldest,
   * then by namespace and name) holds it; this one must not write.
   */
  private Optional<SageMakerScalingPolicy> conflictingOwner(
      SageMakerScalingPolicy resource, TargetKey key, Context<SageMakerScalingPolicy> context) {
    Comparator<SageMakerScalingPolicy> seniority = Comparator
        .comparing((SageMakerScalingPolicy r) -> r.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(r -> r.getMetadata().getNamespace())
        .thenComparing(r -> r.getMetadata().getName());
    String region = regionOfOrEmpty(resource.getSpec());
    return context.getPrimaryCache().list()
        .filter(other -> !other.getMetadata().getUid().equals(resource.getMetadata().getUid()))
        .filter(other -> other.getMetadata().getDeletionTimestamp() == null)
        .filter(other -> other.getSpec() != null && other.getSpec().getTarget() != null)
        // Every pass scans the whole cache: compare the cheap key first, validate only the few that match.
        .filter(other -> Planner.targetKey(other.getSpec()).equals(key) && regionOfOrEmpty(other.getSpec()).equals(region))
        .filter(other -> SpecValidator.validate(other.getSpec(), owner(other)).isEmpty())
        .filter(other -> seniority.compare(other, resource) < 0)
        .min(seniority);
  }

  private static boolean isConflicted(SageMakerScalingPolicyStatus status) {
    return status.getConditions().stream()
        .anyMatch(c -> StatusBuilder.STALLED.equals(c.getType()) && "True".equals(c.getStatus()) && "Conflict".equals(c.getReason()));
  }

  private static Converger.OwnedSummary ownedSummary(SageMakerScalingPolicyStatus status, TargetKey key) {
    if (status == null) {
      return new Converger.OwnedSummary(false, true, true);
    }
    boolean alarms = status.getPolicies().stream().anyMatch(p -> !p.getAlarms().isEmpty());
    return new Converger.OwnedSummary(ownsTarget(status, key), alarms, !status.getScheduledActions().isEmpty());
  }

  /** Converged on this very target before: the status records it and a successful sync. */
  private static boolean ownsTarget(SageMakerScalingPolicyStatus status, TargetKey key) {
    return status != null && status.getLastSyncTime() != null
        && key.resourceId().equals(status.getResourceId()) && key.scalableDimension().equals(status.getScalableDimension());
  }

  private Owner owner(SageMakerScalingPolicy resource) {
    return new Owner(settings.clusterName(), resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  private String regionOf(SageMakerScalingPolicySpec spec) {
    if (spec.getAws() != null && spec.getAws().getRegion() != null) {
      return spec.getAws().getRegion();
    }
    return aws.defaultRegion().orElse(null);
  }

  private String regionOfOrEmpty(SageMakerScalingPolicySpec spec) {
    return Objects.toString(regionOf(spec), "");
  }

  private static boolean isPaused(SageMakerScalingPolicy resource) {
    return "true".equalsIgnoreCase(annotation(resource, PAUSE_ANNOTATION));
  }

  private static String annotation(SageMakerScalingPolicy resource, String name) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  /** A fresh object with only identity and status: the patch says nothing about spec or metadata. */
  private static SageMakerScalingPolicy statusOnly(SageMakerScalingPolicy resource, SageMakerScalingPolicyStatus status) {
    SageMakerScalingPolicy fresh = new SageMakerScalingPolicy();
    fresh.getMetadata().setName(resource.getMetadata().getName());
    fresh.getMetadata().setNamespace(resource.getMetadata().getNamespace());
    fresh.setStatus(status);
    return fresh;
  }
}
