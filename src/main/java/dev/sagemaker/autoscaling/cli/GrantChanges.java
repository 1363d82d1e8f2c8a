package dev.sagemaker.autoscaling.cli;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An event source that gives every resource of a namespace a pass when the namespace's grant
 * annotations change ({@link NamespaceCache#onGrantsChanged}), so granting or revoking takes effect
 * at once, not at the next resync.
 */
final class GrantChanges extends AbstractEventSource<Namespace, SageMakerScalingPolicy> {
  GrantChanges() {
    super(Namespace.class, "namespace-grants");
  }

  /** The namespace is read through {@link NamespaceCache}; passes ask it for nothing here. */
  @Override
  public Set<Namespace> getSecondaryResources(SageMakerScalingPolicy primary) {
    return Set.of();
  }

  /** Queues a pass for each resource; before the source runs (no handler yet) nothing happens. */
  void changed(Stream<ResourceID> resources) {
    if (isRunning() && getEventHandler() != null) {
      resources.forEach(id -> getEventHandler().handleEvent(new Event(id)));
    }
  }
}
