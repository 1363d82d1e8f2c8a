package dev.sagemaker.autoscaling.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every field a tenant writes is bounded in the installed CRD, so the API server refuses what the
 * operator could not deserialize (an integer beyond a Java int) or would pass on to AWS unchecked.
 * Walks the committed CRD's spec schema: numbers need minimum and maximum, strings maxLength (or an
 * enum), lists maxItems. The status is the operator's own output and is not walked.
 */
class CrdBoundsTest {
  private static final Path CRD =
      Path.of("crds", "sagemakerscalingpolicies.autoscaling.sagemaker.dev-v1.yml");

  private static JsonNode specSchema() throws Exception {
    JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(CRD.toFile());
    return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
  }

  @Test
  void everyNumberStringAndListOfTheSpecIsBounded() throws Exception {
    JsonNode spec = specSchema();
    assertThat(spec.isMissingNode()).as("the CRD has a spec schema").isFalse();

    List<String> unbounded = new ArrayList<>();
    walk("spec", spec, unbounded);

    assertThat(unbounded).as("fields without bounds").isEmpty();
  }

  @Test
  void numbersStayInsideTheirJavaTypes() throws Exception {
    List<String> outside = new ArrayList<>();
    checkIntegers("spec", specSchema(), outside);

    assertThat(outside)
        .as("integers beyond a Java int, numbers beyond what the API server keeps exact")
        .isEmpty();
  }

  private static void walk(String path, JsonNode schema, List<String> unbounded) {
    String type = schema.path("type").asText();
    switch (type) {
      case "integer", "number" -> {
        if (!schema.has("minimum") || !schema.has("maximum")) {
          unbounded.add(path + " (" + type + " without minimum and maximum)");
        }
      }
      case "string" -> {
        if (!schema.has("maxLength") && !schema.has("enum")) {
          unbounded.add(path + " (string without maxLength or enum)");
        }
      }
      case "array" -> {
        if (!schema.has("maxItems")) {
          unbounded.add(path + " (array without maxItems)");
        }
        walk(path + "[]", schema.path("items"), unbounded);
      }
      case "object" -> {
        for (Iterator<Map.Entry<String, JsonNode>> fields = schema.path("properties").fields();
            fields.hasNext(); ) {
          Map.Entry<String, JsonNode> field = fields.next();
          walk(path + "." + field.getKey(), field.getValue(), unbounded);
        }
      }
      case "boolean" -> {}
      default -> unbounded.add(path + " (no type)");
    }
  }

  private static void checkIntegers(String path, JsonNode schema, List<String> outside) {
    if ("integer".equals(schema.path("type").asText())
        && (schema.path("minimum").asDouble() < Integer.MIN_VALUE
            || schema.path("maximum").asDouble() > Integer.MAX_VALUE)) {
      outside.add(path);
    }
    // The API server keeps a whole-number bound as a 64-bit integer: a larger one wraps and refuses
    // everything.
    if ("number".equals(schema.path("type").asText())
        && (Math.abs(schema.path("minimum").asDouble()) > Long.MAX_VALUE
            || Math.abs(schema.path("maximum").asDouble()) > Long.MAX_VALUE)) {
      outside.add(path);
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(f -> checkIntegers(path + "." + f.getKey(), f.getValue(), outside));
    if (schema.has("items")) {
      checkIntegers(path + "[]", schema.path("items"), outside);
    }
  }
}
