package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicyStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingStatus;
import dev.sagemaker.autoscaling.aws.AwsApiException;
import dev.sagemaker.autoscaling.aws.CallerNamespace;
import dev.sagemaker.autoscaling.aws.ScalingApi;
import dev.sagemaker.autoscaling.aws.ScalingApis;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.Planner;
import dev.sagemaker.autoscaling.plan.SpecProblem;
import dev.sagemaker.autoscaling.plan.SpecValidator;
import dev.sagemaker.autoscaling.plan.TargetKey;
import dev.sagemaker.autoscaling.tenancy.Denial;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JOSDK entry point, and only the flow of a pass: directives → validate → namespace grants →
 * ownership → region → converge → status and Event. Each decision lives in the class named after
 * it; docs/design.md draws the flow. AWS errors never escape as exceptions: recoverable ones come
 * back after a {@link Backoff}, terminal ones wait for a spec change or the resync.
 */
@ControllerConfiguration(
    name = "sagemakerscalingpolicy",
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class SageMakerScalingPolicyReconciler
    implements Reconciler<SageMakerScalingPolicy>, Cleaner<SageMakerScalingPolicy> {
  private static final Logger LOG = LoggerFactory.getLogger(SageMakerScalingPolicyReconciler.class);

  /**
   * How soon a deletion whose alarms are on their way looks again: shared DeleteAlarms calls leave
   * about every 0.37 s, and looking costs no AWS call.
   */
  static final Duration ALARMS_LOOK_AGAIN = Duration.ofMillis(250);

  private final ScalingApis aws;
  private final Function<ScalingApi, Converger> convergers;
  private final StatusBuilder statusBuilder;
  private final PassReport report;
  private final WaitBackoff waiting;
  private final TargetOwnership ownership;
  private final InventoryBookkeeping inventory;
  private final Inventory snapshots;
  private final Backoff backoff;
  private final TenancyGate tenancy;
  private final PassAdmission admission;

  /**
   * Deletions whose alarms are on their way in a shared DeleteAlarms call, by resource UID; held in
   * memory only: after a restart the cleanup starts over, and reads AWS to learn what is left.
   */
  private final Map<String, CompletableFuture<Void>> alarmsDeleting = new ConcurrentHashMap<>();

  public SageMakerScalingPolicyReconciler(
      ScalingApis aws,
      StatusBuilder statusBuilder,
      EventRecorder events,
      ReconcilerSettings settings,
      ReconcileMetrics metrics,
      Clock clock,
      TenancyGate tenancy) {
    this(
        aws,
        new AlarmDeletions(AlarmDeletions.DEFAULT_SPACING_NANOS)::converger,
        statusBuilder,
        events,
        settings,
        metrics,
        tenancy,
        new Inventory(
            clock,
            settings.resync(),
            "smsp_" + settings.clusterName() + "_",
            Inventory.newRefresher()),
        new Backoff(settings.retryBase(), settings.retryMax()));
  }

  SageMakerScalingPolicyReconciler(
      ScalingApis aws,
      Function<ScalingApi, Converger> convergers,
      StatusBuilder statusBuilder,
      EventRecorder events,
      ReconcilerSettings settings,
      ReconcileMetrics metrics,
      TenancyGate tenancy,
      Inventory inventory,
      Backoff backoff) {
    this.aws = aws;
    this.convergers = convergers;
    this.statusBuilder = statusBuilder;
    this.report = new PassReport(events, metrics);
    this.waiting = new WaitBackoff(settings.waitInterval(), settings.waitMax(), backoff.jitter());
    this.ownership = new TargetOwnership(settings.clusterName());
    this.inventory = new InventoryBookkeeping(inventory, aws::defaultRegion);
    this.snapshots = inventory;
    this.backoff = backoff;
    this.tenancy = tenancy;
    this.admission = new PassAdmission(settings.reconcileThreads(), metrics);
  }

  /** Shares the reconciler threads between namespaces (tests hold passes in flight with it). */
  PassAdmission admission() {
    return admission;
  }

  /** Stops the background inventory refresh. */
  public void close() {
    inventory.close();
  }

  @Override
  public UpdateControl<SageMakerScalingPolicy> reconcile(
      SageMakerScalingPolicy resource, Context<SageMakerScalingPolicy> context) {
    return reconcile(resource, () -> context.getPrimaryCache().list());
  }

  /**
   * One pass, or a deferral when the namespace holds its share of the threads ({@link
   * PassAdmission}); {@code all} is every resource the operator sees (ownership and the inventory
   * need them).
   */
  UpdateControl<SageMakerScalingPolicy> reconcile(
      SageMakerScalingPolicy resource, Supplier<Stream<SageMakerScalingPolicy>> all) {
    String namespace = resource.getMetadata().getNamespace();
    if (!admission.tryEnter(namespace)) {
      // Not a pass: nothing read, written or counted, and the resource's backoff is left alone.
      return UpdateControl.<SageMakerScalingPolicy>noUpdate().rescheduleAfter(admission.deferral());
    }
    try {
      return admittedPass(resource, all);
    } finally {
      admission.leave(namespace);
    }
  }

  private UpdateControl<SageMakerScalingPolicy> admittedPass(
      SageMakerScalingPolicy resource, Supplier<Stream<SageMakerScalingPolicy>> all) {
    long started = System.nanoTime();
    String uid = resource.getMetadata().getUid();
    // The namespace's lane in the AWS pacing, for this pass only (cleared by callingFor).
    Outcome outcome = null;
    try {
      outcome =
          CallerNamespace.callingFor(
              resource.getMetadata().getNamespace(), () -> decide(resource, all));
    } finally {
      // After the pass, even one that threw: its deletion trusts only snapshots taken later.
      if (!(outcome instanceof Outcome.Converged c && c.changes().isEmpty())) {
        snapshots.passMayHaveWritten(uid);
      }
    }
    inventory.passSettled(resource.getStatus(), outcome);
    SageMakerScalingPolicy patch = statusBuilder.statusPatch(resource, outcome);
    report.passEnded(
        resource, outcome, patch.getStatus(), Duration.ofNanos(System.nanoTime() - started));
    // A pass that changed nothing writes nothing: no status write, no watch event for every client.
    UpdateControl<SageMakerScalingPolicy> control =
        patch.getStatus().equals(resource.getStatus())
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(patch);
    Optional<Duration> nextLook =
        outcome instanceof Outcome.Waiting
            ? Optional.of(
                waiting.next(
                    uid, Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L)))
            : Optional.empty();
    if (nextLook.isEmpty()) {
      waiting.reset(uid);
    }
    report.waiting(resource, nextLook);
    if (outcome instanceof Outcome.Retrying) {
      return control.rescheduleAfter(backoff.next(uid));
    }
    backoff.reset(uid);
    return nextLook.map(delay -> control.rescheduleAfter(delay)).orElse(control);
  }

  private Outcome decide(
      SageMakerScalingPolicy resource, Supplier<Stream<SageMakerScalingPolicy>> all) {
    SageMakerScalingPolicySpec spec = resource.getSpec();
    Directives directives = Directives.of(resource);
    if (directives.paused()) {
      return Outcome.paused();
    }
    Owner owner = ownership.owner(resource);
    List<SpecProblem> problems = SpecValidator.validate(spec, owner);
    if (!problems.isEmpty()) {
      return Outcome.invalid(problems);
    }
    // Before anything that reaches AWS, not even a Describe: an ungranted namespace learns nothing
    // there.
    Optional<Denial> denial = tenancy.check(resource, aws.defaultRegion());
    if (denial.isPresent()) {
      return Outcome.forbidden(denial.get());
    }
    TargetKey key = Planner.targetKey(spec);
    Optional<AwsScope> scope = AwsScope.of(spec, aws.defaultRegion());
    if (directives.deregister()) {
      return deregister(resource, key, scope);
    }
    if (scope.isEmpty()) {
      return Outcome.noRegion(key);
    }
    String region = scope.get().region();
    try {
      ScalingApi api = aws.forTarget(region, scope.get().roleArn(), ownership.session(resource));
      Outcome outcome =
          convergers
              .apply(api)
              .converge(
                  spec,
                  owner,
                  region,
                  TargetOwnership.knownOwned(resource.getStatus(), key),
                  directives.adopt(),
                  inventory.readsFor(resource, key, scope.get(), api, owner, all),
                  InventoryBookkeeping.isResyncOfConverged(resource, key),
                  Optional.of(
                      Optional.ofNullable(resource.getStatus())
                          .map(SageMakerScalingPolicyStatus::getScaling)
                          .orElseGet(ScalingStatus::new)));
      inventory.passEnded(key, scope.get(), api, outcome);
      return outcome;
    } catch (AwsApiException e) {
      inventory.passFailed(key);
      return Outcome.awsFailure(TargetOwnership.recordable(resource.getStatus(), key), region, e);
    }
  }

  /** Tears down what this resource created, as deletion with the Delete policy does, and holds. */
  private Outcome deregister(
      SageMakerScalingPolicy resource, TargetKey key, Optional<AwsScope> scope) {
    SageMakerScalingPolicyStatus status = resource.getStatus();
    if (status == null || status.getResourceId() == null) {
      return Outcome.deregistered(); // nothing was registered
    }
    if (scope.isEmpty()) {
      return Outcome.noRegion(key);
    }
    try {
      teardown(resource, key, scope.get(), Optional.empty(), "deregistered for an endpoint update")
          .awaited();
      return Outcome.deregistered();
    } catch (AwsApiException e) {
      return Outcome.awsFailure(key, scope.get().region(), e);
    }
  }

  /**
   * Removes what the resource created on the target, as far as it owns it; its alarms may still be
   * on their way when this returns.
   *
   * @param ownAlarms the resource's alarms from a snapshot that holds them all; empty reads them
   */
  private Converger.Teardown teardown(
      SageMakerScalingPolicy resource,
      TargetKey key,
      AwsScope scope,
      Optional<List<ObservedAlarm>> ownAlarms,
      String why) {
    Converger.Teardown teardown =
        convergers
            .apply(aws.forTarget(scope.region(), scope.roleArn(), ownership.session(resource)))
            .startTeardown(key, ownership.owner(resource), ownAlarms);
    LOG.info(
        "{}/{} {}: removed {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        why,
        teardown.removed());
    return teardown;
  }

  @Override
  public DeleteControl cleanup(
      SageMakerScalingPolicy resource, Context<SageMakerScalingPolicy> context) {
    return cleanup(resource, patch -> context.getClient().resource(patch).patchStatus());
  }

  /**
   * Deletion; {@code statusWriter} patches the status of the resource being deleted (JOSDK does not
   * patch status on cleanup). A failed teardown keeps the finalizer, says why in a Stalled
   * condition and a Warning Event, and comes back after the resource's {@link Backoff}, which only
   * a successful cleanup resets: a cleanup AWS keeps refusing slows down to the cap instead of
   * retrying every second.
   */
  DeleteControl cleanup(
      SageMakerScalingPolicy resource, Consumer<SageMakerScalingPolicy> statusWriter) {
    String namespace = resource.getMetadata().getNamespace();
    if (!admission.tryEnter(namespace)) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(admission.deferral().toMillis());
    }
    try {
      return admittedCleanup(resource, statusWriter);
    } finally {
      admission.leave(namespace);
    }
  }

  private DeleteControl admittedCleanup(
      SageMakerScalingPolicy resource, Consumer<SageMakerScalingPolicy> statusWriter) {
    String uid = resource.getMetadata().getUid();
    CompletableFuture<Void> alarmsOnTheirWay = alarmsDeleting.remove(uid);
    if (alarmsOnTheirWay == null) {
      report.deleting(resource);
    }
    if (Directives.of(resource).paused()) {
      // Paused means the operator keeps its hands off AWS, deletion included: the AWS objects stay.
      LOG.info(
          "{}/{} deleted while paused: AWS left as it is",
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName());
      return released(resource);
    }
    Optional<TargetKey> key = ownership.leftBehind(resource);
    Optional<AwsScope> scope =
        key.flatMap(
            k ->
                AwsScope.ofRecorded(resource.getStatus(), resource.getSpec(), aws.defaultRegion()));
    if (scope.isEmpty()) {
      return released(resource);
    }
    try {
      if (alarmsOnTheirWay == null) {
        alarmsOnTheirWay = startTeardown(resource, key.get(), scope.get());
      }
      if (!alarmsOnTheirWay.isDone()) {
        // The alarms go in a DeleteAlarms call shared with other teardowns: the thread goes on to
        // other resources meanwhile, and the finalizer stays until the call has succeeded.
        alarmsDeleting.put(uid, alarmsOnTheirWay);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(ALARMS_LOOK_AGAIN.toMillis());
      }
      Converger.await(alarmsOnTheirWay);
      return released(resource);
    } catch (AwsApiException e) {
      // Part of the teardown may have gone through: the retry reads AWS, not this snapshot.
      snapshots.passMayHaveWritten(uid);
      Duration delay = backoff.next(uid);
      report.cleanupFailed(resource, e.getMessage());
      writeStatus(
          statusWriter,
          statusBuilder.statusPatch(
              resource,
              new Outcome.Stalled(
                  key.get(),
                  scope.get().region(),
                  Reason.CleanupFailed,
                  "deleting the AWS objects failed; deletion waits and retries in "
                      + delay.toSeconds()
                      + "s: "
                      + e.getMessage())));
      LOG.warn(
          "cleanup of {}/{} failed, will retry in {}: {}",
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(),
          delay,
          e.getMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(delay.toMillis());
    } finally {
      // Again after the writes (the alarms' included, when they are done): a snapshot taken while
      // they ran must not be trusted by the next resource that names this target.
      inventory.forget(key.get());
    }
  }

  /**
   * Tears down what the resource holds; returns its alarm deletion, which may still be on its way.
   */
  private CompletableFuture<Void> startTeardown(
      SageMakerScalingPolicy resource, TargetKey key, AwsScope scope) {
    inventory.forget(key);
    // No pass of this resource runs any more: a snapshot taken after its last one holds its alarms.
    Optional<List<ObservedAlarm>> ownAlarms =
        snapshots.alarmsForTeardown(
            scope.id(), resource.getMetadata().getUid(), ownership.owner(resource));
    return CallerNamespace.callingFor(
            resource.getMetadata().getNamespace(),
            () -> teardown(resource, key, scope, ownAlarms, "deleted"))
        .alarmsDeleted();
  }

  /** The finalizer may go: forget everything kept in memory about the resource. */
  private DeleteControl released(SageMakerScalingPolicy resource) {
    String uid = resource.getMetadata().getUid();
    alarmsDeleting.remove(uid);
    report.forget(resource);
    snapshots.forgetPasses(uid);
    backoff.reset(uid);
    waiting.reset(uid);
    return DeleteControl.defaultDelete();
  }

  private static void writeStatus(
      Consumer<SageMakerScalingPolicy> statusWriter, SageMakerScalingPolicy patch) {
    try {
      statusWriter.accept(patch);
    } catch (KubernetesClientException e) {
      // The Event and the log carry the same message; the retry writes the status again.
      LOG.warn(
          "could not write the status of {}/{}: {}",
          patch.getMetadata().getNamespace(),
          patch.getMetadata().getName(),
          e.getMessage());
    }
  }

  @Override
  public ErrorStatusUpdateControl<SageMakerScalingPolicy> updateErrorStatus(
      SageMakerScalingPolicy resource, Context<SageMakerScalingPolicy> context, Exception e) {
    if (isInterruption(e) || (e instanceof KubernetesClientException k && k.getCode() == 404)) {
      // Stopping (the next leader or start finishes the pass), or deleted while it ran (no status
      // to write).
      return ErrorStatusUpdateControl.<SageMakerScalingPolicy>noStatusUpdate().withNoRetry();
    }
    // Only unexpected failures reach here (AWS errors are handled in reconcile): say so and let
    // JOSDK's retry back off.
    LOG.error(
        "unexpected failure reconciling {}/{}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        e);
    return ErrorStatusUpdateControl.patchStatus(
        statusBuilder.statusPatch(
            resource,
            new Outcome.Retrying(
                null, null, Reason.InternalError, String.valueOf(e.getMessage()))));
  }

  private static boolean isInterruption(Throwable e) {
    return Stream.iterate(e, Objects::nonNull, Throwable::getCause)
        .anyMatch(t -> t instanceof InterruptedException || t instanceof InterruptedIOException);
  }
}
