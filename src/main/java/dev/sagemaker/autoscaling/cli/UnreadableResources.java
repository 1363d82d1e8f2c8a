package dev.sagemaker.autoscaling.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.reconcile.EventRecorder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one unreadable resource from stopping the operator. The CRD admits values our Java model
 * cannot hold (an {@code integer} beyond {@code Integer.MAX_VALUE}, say, or anything written
 * through a looser CRD version); left to the framework, such an object fails the informer's list or
 * watch, JOSDK exits the process, and the next start fails the same way, so nobody's resources are
 * reconciled.
 *
 * <p>Here our type is read leniently: an object whose body does not bind becomes a resource with
 * its metadata and no spec, the problem is remembered by uid, and {@link #isReadable} (the
 * controller's generic filter) keeps it away from the reconciler while logging it and recording a
 * Warning Event on it. The same mapper drops {@code metadata.managedFields}, which the operator
 * never uses and which is the largest part of most cached objects.
 */
final class UnreadableResources {
  static final String EVENT_REASON = "Unreadable";
  private static final Logger LOG = LoggerFactory.getLogger(UnreadableResources.class);

  /** Why one version of a resource could not be read. */
  record Problem(
      String namespace, String name, String resourceVersion, String field, String message) {
    String describe() {
      return "the operator cannot read this resource: "
          + field
          + ": "
          + message
          + "; it is not reconciled (its AWS objects stay as they are) until the field is"
          + " corrected";
    }
  }

  private final Map<String, Problem> problemsByUid = new ConcurrentHashMap<>();
  private final Counter unreadableVersions;
  private volatile EventRecorder events;
  private volatile Predicate<Problem> stillCached = problem -> true;

  UnreadableResources(MeterRegistry registry) {
    this.unreadableVersions =
        Counter.builder("smsp_unreadable_resource_versions")
            .description(
                "Versions of SageMakerScalingPolicy resources the operator could not read (each is"
                    + " logged and gets a Warning Event)")
            .register(registry);
    Gauge.builder("smsp_unreadable_resources", this, UnreadableResources::current)
        .description(
            "SageMakerScalingPolicy resources whose latest version the operator cannot read, so"
                + " does not reconcile")
        .register(registry);
  }

  /**
   * Serialization for the operator's client: reads our type leniently and without managedFields.
   */
  KubernetesSerialization serialization() {
    ObjectMapper mapper = new ObjectMapper();
    // managedFields is most of a cached object's metadata and nothing here reads it; an update that
    // omits
    // it leaves the server's entries as they are.
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    mapper.registerModule(
        new SimpleModule("smsp-lenient-reading")
            .setDeserializerModifier(
                new BeanDeserializerModifier() {
                  @Override
                  public JsonDeserializer<?> modifyDeserializer(
                      DeserializationConfig config,
                      BeanDescription description,
                      JsonDeserializer<?> deserializer) {
                    return description.getBeanClass() == SageMakerScalingPolicy.class
                        ? new Lenient(deserializer)
                        : deserializer;
                  }
                })
            .addDeserializer(String.class, new SharedShortStrings()));
    return new KubernetesSerialization(mapper, true);
  }

  /**
   * Short strings read once: every cached resource repeats the same words (kinds, API versions,
   * finalizers, condition types and reasons, alarm states and reasons, policy types, region), and
   * JOSDK's copy of a resource for each pass repeats them again. At 300 resources these copies were
   * a third of the strings the informer cache held. Longer strings (messages, managed annotations)
   * are mostly unique and are left as read.
   */
  static final class SharedShortStrings extends StringDeserializer {
    static final int MAX_LENGTH = 64;

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = super.deserialize(p, ctxt);
      return s != null && s.length() <= MAX_LENGTH ? s.intern() : s;
    }
  }

  @JsonIgnoreProperties(value = "managedFields", ignoreUnknown = true)
  private abstract static class WithoutManagedFields {}

  /**
   * Where Warning Events go, and how to tell whether a remembered problem's resource is still in
   * the cache.
   */
  void connect(EventRecorder events, Predicate<Problem> stillCached) {
    this.events = events;
    this.stillCached = stillCached;
  }

  /**
   * The generic event filter: false (and said so, once per version) for a resource that could not
   * be read.
   */
  boolean isReadable(SageMakerScalingPolicy resource) {
    Optional<Problem> problem = problemOf(resource);
    if (problem.isEmpty()) {
      return true;
    }
    EventRecorder recorder = events;
    if (recorder != null) {
      // The recorder records one Event per distinct message and resource, not one per informer
      // event.
      recorder.unreadable(resource, problem.get().describe());
    }
    return false;
  }

  Optional<Problem> problemOf(SageMakerScalingPolicy resource) {
    if (resource.getSpec() != null
        || resource.getMetadata() == null
        || resource.getMetadata().getUid() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(problemsByUid.get(resource.getMetadata().getUid()))
        .filter(
            p -> Objects.equals(p.resourceVersion(), resource.getMetadata().getResourceVersion()));
  }

  /**
   * Resources whose latest version is unreadable (the count drops when one is corrected or
   * deleted).
   */
  int current() {
    problemsByUid.values().removeIf(stillCached.negate());
    return problemsByUid.size();
  }

  private void unreadable(ObjectMeta metadata, JsonProcessingException e) {
    String field = e instanceof JsonMappingException m ? fieldOf(m) : "spec";
    String message =
        e.getOriginalMessage() == null
            ? e.getClass().getSimpleName()
            : firstLine(e.getOriginalMessage());
    Problem problem =
        new Problem(
            metadata.getNamespace(),
            metadata.getName(),
            metadata.getResourceVersion(),
            field,
            message);
    Problem before = problemsByUid.put(metadata.getUid(), problem);
    if (before == null || !Objects.equals(before.resourceVersion(), problem.resourceVersion())) {
      unreadableVersions.increment();
      LOG.error(
          "cannot read SageMakerScalingPolicy {}/{} (resourceVersion {}): {}: {}; it is skipped,"
              + " everything else is reconciled",
          problem.namespace(),
          problem.name(),
          problem.resourceVersion(),
          field,
          message);
    }
  }

  private void readable(SageMakerScalingPolicy resource) {
    // A copy of an unreadable resource (JOSDK clones through the same mapper) has no spec and
    // proves nothing.
    if (resource.getSpec() != null
        && resource.getMetadata() != null
        && resource.getMetadata().getUid() != null
        && problemsByUid.remove(resource.getMetadata().getUid()) != null) {
      LOG.info(
          "SageMakerScalingPolicy {}/{} is readable again",
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName());
    }
  }

  /** The JSON path of the failure, as a user writes it: spec.stepScaling[0].steps[1].change. */
  static String fieldOf(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "spec" : path.toString();
  }

  private static String firstLine(String message) {
    int end = message.indexOf('\n');
    String line = end < 0 ? message : message.substring(0, end);
    return line.length() > 300 ? line.substring(0, 297) + "..." : line;
  }

  /** Binds the object as usual; on failure returns its metadata alone and remembers why. */
  private final class Lenient extends DelegatingDeserializer {
    Lenient(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new Lenient(delegate);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      // A token buffer, not a tree: reading twice is needed only for the rare object that fails.
      TokenBuffer buffer = context.bufferAsCopyOfValue(parser);
      try (JsonParser body = buffer.asParserOnFirstToken()) {
        SageMakerScalingPolicy resource =
            (SageMakerScalingPolicy) _delegatee.deserialize(body, context);
        readable(resource);
        return resource;
      } catch (JsonProcessingException e) {
        JsonNode metadataNode;
        try (JsonParser again = buffer.asParserOnFirstToken()) {
          metadataNode = context.readTree(again).get("metadata");
        }
        if (metadataNode == null || !metadataNode.isObject()) {
          throw e;
        }
        ObjectMeta metadata = context.readTreeAsValue(metadataNode, ObjectMeta.class);
        if (metadata.getUid() == null) {
          // Not an object from the API server (a manifest being parsed, say): the error is the
          // answer.
          throw e;
        }
        unreadable(metadata, e);
        // JOSDK's resync timer reaches the reconciler past the event filter; seen as deleting, a
        // resource
        // without a spec would lose its finalizer with its AWS objects left behind. Its deletion
        // waits for a
        // readable version instead.
        metadata.setDeletionTimestamp(null);
        SageMakerScalingPolicy resource = new SageMakerScalingPolicy();
        resource.setMetadata(metadata);
        return resource;
      }
    }
  }
}
