package dev.sagemaker.autoscaling.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The one table of bad input: each case is a change to the seed manifest
 * (examples/realtime-seed.yaml), the layer that refuses it, the field its message names and, where
 * it matters, a phrase of the message. InvalidInputIT drives every case through the real API server
 * and the operator.
 *
 * <p>For a unit test of the validator: {@link #manifest(Mutation)} gives the changed manifest as a
 * tree; its "spec" converts to {@code SageMakerScalingPolicySpec} (Jackson) for every {@link
 * Layer#INVALID_SPEC} case, and for the admission cases whose values still fit the Java types (not
 * "wrong type" or an unknown enum value), which the validator should refuse as well.
 */
public final class InvalidInputCases {
  /** Where a bad manifest stops. */
  public enum Layer {
    /** The API server refuses it (OpenAPI schema or CEL in the CRD): HTTP 422, nothing stored. */
    ADMISSION,
    /**
     * Admitted, then refused by the operator's validator: Stalled with reason InvalidSpec, nothing
     * written to AWS.
     */
    INVALID_SPEC
  }

  /**
   * Values set at paths from the manifest's root ("spec.target.endpointName",
   * "spec.stepScaling[0].alarm"), creating objects on the way. Values are what Jackson makes JSON
   * of: strings, numbers, lists, maps.
   */
  public record Mutation(Map<String, Object> values) {
    public Mutation {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Mutation set(String path, Object value) {
      Map<String, Object> more = new LinkedHashMap<>(values);
      more.put(path, value);
      return new Mutation(more);
    }
  }

  /**
   * One bad input: what is changed, who refuses it, the field named and a phrase of the message
   * (may be null).
   */
  public record Case(
      String description, Mutation mutation, Layer refusedBy, String field, String phrase) {
    @Override
    public String toString() {
      return description;
    }
  }

  public static final Path SEED = Path.of("examples/realtime-seed.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[]+)((?:\\[\\d+])*)");

  private InvalidInputCases() {}

  public static Mutation set(String path, Object value) {
    return new Mutation(Map.of()).set(path, value);
  }

  private static Case admission(
      String description, Mutation mutation, String field, String phrase) {
    return new Case(description, mutation, Layer.ADMISSION, field, phrase);
  }

  private static Case invalidSpec(
      String description, Mutation mutation, String field, String phrase) {
    return new Case(description, mutation, Layer.INVALID_SPEC, field, phrase);
  }

  private static Map<String, Object> step(Double lower, Double upper, int change) {
    Map<String, Object> step = new LinkedHashMap<>();
    if (lower != null) {
      step.put("lower", lower);
    }
    if (upper != null) {
      step.put("upper", upper);
    }
    step.put("change", change);
    return step;
  }

  private static Map<String, Object> targetTracking(String name) {
    return Map.of("name", name, "metric", "CPUUtilization", "targetValue", 70);
  }

  public static List<Case> all() {
    return List.of(
        admission(
            "min above max",
            set("spec.minCapacity", 5),
            "spec.minCapacity",
            "less than or equal to spec.maxCapacity"),
        admission("negative capacity", set("spec.minCapacity", -1), "spec.minCapacity", null),
        admission(
            "real-time at zero",
            set("spec.minCapacity", 0),
            "spec.minCapacity",
            "only Async endpoints and inference components can scale to zero"),
        admission(
            "endpoint name with underscore",
            set("spec.target.endpointName", "my_endpoint"),
            "spec.target.endpointName",
            null),
        admission(
            "endpoint name of 64 characters",
            set("spec.target.endpointName", "e".repeat(64)),
            "spec.target.endpointName",
            null),
        admission(
            "endpoint name with a bell character",
            set("spec.target.endpointName", "ep\u0007"),
            "spec.target.endpointName",
            null),
        admission(
            "unicode endpoint name",
            set("spec.target.endpointName", "éндпоинт"),
            "spec.target.endpointName",
            null),
        admission(
            "both target kinds",
            set("spec.target.inferenceComponentName", "ic"),
            "spec.target",
            "exactly one of endpointName or inferenceComponentName"),
        admission(
            "empty item name",
            set("spec.targetTracking[0].name", ""),
            "spec.targetTracking[0].name",
            null),
        admission(
            "duplicate item names",
            set("spec.targetTracking[1].name", "requests"),
            "spec.targetTracking",
            "item names must be unique"),
        admission(
            "unknown metric",
            set("spec.targetTracking[0].metric", "CPUUsage"),
            "spec.targetTracking[0].metric",
            null),
        admission(
            "zero target value",
            set("spec.targetTracking[0].targetValue", 0),
            "spec.targetTracking[0].targetValue",
            null),
        admission("wrong type", set("spec.maxCapacity", "three"), "spec.maxCapacity", null),
        admission("unknown model type", set("spec.modelType", "Streaming"), "spec.modelType", null),
        admission(
            "custom metric missing",
            set("spec.targetTracking[0].metric", "Custom"),
            "spec.targetTracking[0]",
            "metric Custom needs exactly one of customMetric or metricQueries"),
        admission(
            "one step only",
            set("spec.stepScaling[0].steps", List.of(step(80.0, null, 1))),
            "spec.stepScaling[0].steps",
            null),
        admission(
            "step without bounds",
            set("spec.stepScaling[0].steps", List.of(step(null, null, 1), step(80.0, null, 2))),
            "spec.stepScaling[0].steps[0]",
            "a step needs lower, upper or both"),
        admission(
            "alarm period 45 s",
            set("spec.stepScaling[0].alarm", Map.of("periodSeconds", 45)),
            "spec.stepScaling[0].alarm.periodSeconds",
            "periodSeconds must be 10, 20, 30 or a multiple of 60"),
        admission(
            "minute alarm longer than a day",
            set(
                "spec.stepScaling[0].alarm",
                Map.of("periodSeconds", 60, "evaluationPeriods", 1441)),
            "spec.stepScaling[0].alarm.evaluationPeriods",
            "must not exceed 86400"),
        admission(
            "step change beyond a Java int",
            set("spec.stepScaling[0].steps[3].change", 3000000000L),
            "spec.stepScaling[0].steps[3].change",
            null),
        admission(
            "inference component at zero without scaleFromZero",
            set("spec.target", Map.of("inferenceComponentName", "ic"))
                .set("spec.minCapacity", 0)
                .set("spec.targetTracking", List.of())
                .set("spec.stepScaling", List.of()),
            "spec.scaleFromZero",
            null),
        admission(
            "malformed cron",
            set(
                "spec.schedules",
                List.of(Map.of("name", "n", "schedule", "cron(0 20 * *)", "minCapacity", 1))),
            "spec.schedules[0].schedule",
            null),
        admission(
            "rate too large for any scheduler",
            set(
                "spec.schedules",
                List.of(
                    Map.of(
                        "name",
                        "n",
                        "schedule",
                        "rate(343326335326595975318886114781 days)",
                        "minCapacity",
                        1))),
            "spec.schedules[0].schedule",
            null),
        admission(
            "schedule without capacity",
            set("spec.schedules", List.of(Map.of("name", "n", "schedule", "rate(1 day)"))),
            "spec.schedules[0]",
            "a schedule sets minCapacity, maxCapacity or both"),
        admission(
            "201 schedules",
            set(
                "spec.schedules",
                IntStream.range(0, 201)
                    .mapToObj(
                        i -> Map.of("name", "n" + i, "schedule", "rate(1 day)", "minCapacity", 1))
                    .toList()),
            "spec.schedules",
            null),
        admission(
            "51 policies",
            set(
                "spec.targetTracking",
                IntStream.range(0, 51).mapToObj(i -> targetTracking("p" + i)).toList()),
            "spec.targetTracking",
            null),
        admission(
            "scale from zero on real-time",
            set("spec.scaleFromZero", true),
            "spec.scaleFromZero",
            null),
        admission(
            "copies on an endpoint",
            set("spec.target.capacityUnit", "Copies"),
            "spec.target.capacityUnit",
            null),
        admission(
            "region that is not one",
            set("spec.aws", Map.of("region", "moon; rm -rf /")),
            "spec.aws.region",
            null),
        // What CEL cannot see: names AWS derives from the resource, and the geometry of step bands.
        invalidSpec(
            "a name too long for AWS",
            set("metadata.name", "n".repeat(240)),
            "spec.targetTracking[0].name",
            "too long"),
        invalidSpec(
            "overlapping steps",
            set("spec.stepScaling[0].steps", List.of(step(10.0, 50.0, -1), step(40.0, 90.0, 1))),
            "spec.stepScaling[0].steps",
            "overlap"));
  }

  public static List<Case> refusedBy(Layer layer) {
    return all().stream().filter(c -> c.refusedBy() == layer).toList();
  }

  /** The seed manifest as a tree, with the mutation applied. */
  public static ObjectNode manifest(Mutation mutation) {
    ObjectNode manifest = seed();
    mutation.values().forEach((path, value) -> setAt(manifest, path, JSON.valueToTree(value)));
    return manifest;
  }

  /**
   * The changed seed manifest, for the API server, in namespace and named name unless the mutation
   * names it.
   */
  public static GenericKubernetesResource resource(
      Mutation mutation, String namespace, String name) {
    ObjectNode manifest = seed();
    ((ObjectNode) manifest.get("metadata")).put("name", name).put("namespace", namespace);
    mutation.values().forEach((path, value) -> setAt(manifest, path, JSON.valueToTree(value)));
    return JSON.convertValue(manifest, GenericKubernetesResource.class);
  }

  private static ObjectNode seed() {
    try {
      return JSON.valueToTree(
          Serialization.unmarshal(Files.readString(SEED), GenericKubernetesResource.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void setAt(ObjectNode root, String path, JsonNode value) {
    List<Object> steps = new ArrayList<>();
    for (String part : path.split("\\.")) {
      Matcher m = SEGMENT.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException("bad path " + path);
      }
      steps.add(m.group(1));
      Matcher index = Pattern.compile("\\[(\\d+)]").matcher(m.group(2));
      while (index.find()) {
        steps.add(Integer.parseInt(index.group(1)));
      }
    }
    JsonNode node = root;
    for (int i = 0; i < steps.size() - 1; i++) {
      Object step = steps.get(i);
      JsonNode next = step instanceof Integer at ? node.get(at) : node.get((String) step);
      if (next == null) {
        if (!(step instanceof String field) || steps.get(i + 1) instanceof Integer) {
          throw new IllegalArgumentException(path + ": nothing at " + steps.subList(0, i + 1));
        }
        next = ((ObjectNode) node).putObject(field);
      }
      node = next;
    }
    Object last = steps.get(steps.size() - 1);
    if (last instanceof Integer at) {
      ((ArrayNode) node).set(at, value);
    } else {
      ((ObjectNode) node).set((String) last, value);
    }
  }
}
