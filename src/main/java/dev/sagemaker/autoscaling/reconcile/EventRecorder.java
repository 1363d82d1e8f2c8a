package dev.sagemaker.autoscaling.reconcile;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events for what a person should see. The same reason and message are recorded
 * once per resource, not on every resync, so Events stay readable.
 */
public class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "sagemaker-autoscaling-operator";

  /** Creates an Event in the API server; tests record them instead. */
  @FunctionalInterface
  interface Publisher {
    void create(Event event);
  }

  private final Publisher publisher;
  private final Clock clock;
  private final Map<String, String> lastByResource = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> onceByResource = new ConcurrentHashMap<>();

  public EventRecorder(KubernetesClient client, Clock clock) {
    this(
        event ->
            client
                .v1()
                .events()
                .inNamespace(event.getMetadata().getNamespace())
                .resource(event)
                .create(),
        clock);
  }

  EventRecorder(Publisher publisher, Clock clock) {
    this.publisher = publisher;
    this.clock = clock;
  }

  void record(HasMetadata resource, EventPolicy.Notice notice) {
    record(
        resource,
        notice.warning() ? "Warning" : "Normal",
        notice.reason().name(),
        notice.message());
  }

  /**
   * Says that a resource's stored version cannot be read into our model (see
   * cli/UnreadableResources), so it is skipped until corrected.
   */
  public void unreadable(HasMetadata resource, String message) {
    record(resource, "Warning", Reason.Unreadable.name(), message);
  }

  /**
   * Records a notice at most once for the resource's lifetime in this process, whatever is recorded
   * in between: for facts that every pass sees again (a misspelled annotation) and that would
   * otherwise alternate with the pass's own Event.
   */
  void recordOnce(HasMetadata resource, EventPolicy.Notice notice) {
    String key = notice.reason().name() + "/" + notice.message();
    if (onceByResource
        .computeIfAbsent(resource.getMetadata().getUid(), uid -> ConcurrentHashMap.newKeySet())
        .add(key)) {
      publish(
          resource,
          notice.warning() ? "Warning" : "Normal",
          notice.reason().name(),
          notice.message());
    }
  }

  /**
   * Records a notice that is new by construction (a scaling activity, an episode reported once), so
   * two alike in a row are both recorded.
   */
  void recordEach(HasMetadata resource, EventPolicy.Notice notice) {
    publish(
        resource,
        notice.warning() ? "Warning" : "Normal",
        notice.reason().name(),
        notice.message());
  }

  /** Forgets a deleted resource, so its uid does not stay in memory. */
  public void forget(HasMetadata resource) {
    lastByResource.remove(resource.getMetadata().getUid());
    onceByResource.remove(resource.getMetadata().getUid());
  }

  private void record(HasMetadata resource, String type, String reason, String message) {
    String key = type + "/" + reason + "/" + message;
    String uid = resource.getMetadata().getUid();
    if (key.equals(lastByResource.put(uid, key))) {
      return;
    }
    if (!publish(resource, type, reason, message)) {
      lastByResource.remove(uid);
    }
  }

  /** Creates the Event; false when the API server refused it. */
  private boolean publish(HasMetadata resource, String type, String reason, String message) {
    String uid = resource.getMetadata().getUid();
    String now = Instant.now(clock).toString();
    try {
      publisher.create(
          new EventBuilder()
              .withNewMetadata()
              .withName(
                  resource.getMetadata().getName()
                      + "."
                      + UUID.randomUUID().toString().substring(0, 8))
              .withNamespace(resource.getMetadata().getNamespace())
              .endMetadata()
              .withNewInvolvedObject()
              .withApiVersion(resource.getApiVersion())
              .withKind(resource.getKind())
              .withName(resource.getMetadata().getName())
              .withNamespace(resource.getMetadata().getNamespace())
              .withUid(uid)
              .withResourceVersion(resource.getMetadata().getResourceVersion())
              .endInvolvedObject()
              .withType(type)
              .withReason(reason)
              .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
              .withFirstTimestamp(now)
              .withLastTimestamp(now)
              .withCount(1)
              .withNewSource()
              .withComponent(COMPONENT)
              .endSource()
              .withReportingComponent(COMPONENT)
              .build());
    } catch (KubernetesClientException e) {
      // An Event is a courtesy; the condition carries the same message.
      LOG.warn(
          "could not record event {} for {}: {}",
          reason,
          resource.getMetadata().getName(),
          e.getMessage());
      return false;
    }
    return true;
  }
}
