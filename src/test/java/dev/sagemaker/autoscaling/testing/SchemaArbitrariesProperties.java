package dev.sagemaker.autoscaling.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What the schema fuzzer generates is what the CRD's structural schema admits (types, enums,
 * bounds, lengths in code points, patterns, required fields, list sizes, no unknown fields), and
 * the extremes the fuzzer exists for do occur. The check here is a second, independent walk of the
 * same schema.
 */
class SchemaArbitrariesProperties {
  private static final SchemaArbitraries GENERATOR = SchemaArbitraries.fromCrd();

  @Provide
  Arbitrary<Map<String, Object>> specs() {
    return GENERATOR.specs();
  }

  @Property(tries = 300)
  void everyGeneratedSpecSatisfiesTheSchema(@ForAll("specs") Map<String, Object> spec) {
    List<String> violations = new ArrayList<>();
    check("spec", GENERATOR.specSchema(), spec, violations);
    assertThat(violations).as("spec %s", spec).isEmpty();
  }

  @Property(tries = 300)
  void theCelRulesWithARepairHold(@ForAll("specs") Map<String, Object> spec) {
    assertThat(asLong(spec.get("minCapacity")))
        .isLessThanOrEqualTo(asLong(spec.get("maxCapacity")));
    @SuppressWarnings("unchecked")
    Map<String, Object> target = (Map<String, Object>) spec.get("target");
    assertThat(target.containsKey("endpointName"))
        .isNotEqualTo(target.containsKey("inferenceComponentName"));
    int policies =
        list(spec, "targetTracking").size()
            + 2 * list(spec, "stepScaling").size()
            + (Boolean.TRUE.equals(spec.get("scaleFromZero")) ? 1 : 0);
    assertThat(policies).isLessThanOrEqualTo(50);
    for (String field : List.of("targetTracking", "stepScaling", "schedules")) {
      List<Object> names =
          list(spec, field).stream().map(item -> (Object) ((Map<?, ?>) item).get("name")).toList();
      assertThat(names).as(field).doesNotHaveDuplicates();
    }
    for (Object item : list(spec, "stepScaling")) {
      Map<?, ?> policy = (Map<?, ?>) item;
      for (Object step : (List<?>) policy.get("steps")) {
        Map<?, ?> band = (Map<?, ?>) step;
        assertThat(band.containsKey("lower") || band.containsKey("upper"))
            .as("step %s", band)
            .isTrue();
        if (band.get("lower") instanceof Number lower
            && band.get("upper") instanceof Number upper) {
          assertThat(lower.doubleValue()).isLessThan(upper.doubleValue());
        }
      }
    }
  }

  /**
   * The extremes are there: over a thousand specs, bounds, int limits, maxLength and maxItems all
   * occur.
   */
  @Example
  void theExtremesOccur() {
    Random random = new Random(42);
    var generator = GENERATOR.specs().generator(1000, true);
    Set<Object> minCapacities = new HashSet<>();
    Set<Object> changes = new HashSet<>();
    Map<String, Integer> longestName = new HashMap<>();
    int maxStepItems = 0;
    int withAws = 0;
    for (int i = 0; i < 1000; i++) {
      Map<String, Object> spec = generator.next(random).value();
      minCapacities.add(spec.get("minCapacity"));
      if (spec.containsKey("aws")) {
        withAws++;
      }
      for (Object item : list(spec, "stepScaling")) {
        List<?> steps = (List<?>) ((Map<?, ?>) item).get("steps");
        maxStepItems = Math.max(maxStepItems, steps.size());
        steps.forEach(step -> changes.add(((Map<?, ?>) step).get("change")));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> target = (Map<String, Object>) spec.get("target");
      target.forEach(
          (k, v) ->
              longestName.merge(k, SchemaArbitraries.codePoints(String.valueOf(v)), Math::max));
      for (Object item : list(spec, "schedules")) {
        longestName.merge(
            "schedules[].name", ((String) ((Map<?, ?>) item).get("name")).length(), Math::max);
      }
    }
    JSONSchemaProps minCapacity = GENERATOR.specSchema().getProperties().get("minCapacity");
    assertThat(minCapacities)
        .contains(minCapacity.getMinimum().longValue(), minCapacity.getMaximum().longValue());
    JSONSchemaProps change =
        GENERATOR
            .specSchema()
            .getProperties()
            .get("stepScaling")
            .getItems()
            .getSchema()
            .getProperties()
            .get("steps")
            .getItems()
            .getSchema()
            .getProperties()
            .get("change");
    if (change.getMaximum() == null) {
      assertThat(changes)
          .contains((long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE);
    } else {
      assertThat(changes)
          .contains(change.getMaximum().longValue(), change.getMinimum().longValue());
    }
    JSONSchemaProps steps =
        GENERATOR
            .specSchema()
            .getProperties()
            .get("stepScaling")
            .getItems()
            .getSchema()
            .getProperties()
            .get("steps");
    assertThat(maxStepItems).isEqualTo(steps.getMaxItems().intValue());
    assertThat(longestName.get("schedules[].name")).isEqualTo(63);
    // SageMaker's 63 characters, hyphens included (the CRD's maxLength beside the pattern).
    assertThat(longestName.get("endpointName")).isEqualTo(63);
    assertThat(withAws).isBetween(100, 900);
  }

  @Example
  void everyPatternInTheCrdHasAGeneratorAndTheRulesLeftToChanceAreListed() {
    // Building the arbitrary walks the whole schema and throws on a pattern without a generator.
    assertThat(GENERATOR.specs()).isNotNull();
    System.out.println(
        "CEL rules without a repair (left to the API server): " + GENERATOR.unrepairedRules());
  }

  // --- the independent schema check

  private static void check(
      String path, JSONSchemaProps schema, Object value, List<String> violations) {
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
      if (schema.getEnum().stream().noneMatch(e -> e.asText().equals(value))) {
        violations.add(path + ": " + value + " not in " + schema.getEnum());
      }
      return;
    }
    switch (schema.getType()) {
      case "object" -> {
        if (!(value instanceof Map<?, ?> map)) {
          violations.add(path + ": not an object: " + value);
          return;
        }
        Map<String, JSONSchemaProps> properties =
            schema.getProperties() == null ? Map.of() : schema.getProperties();
        for (String required :
            schema.getRequired() == null ? List.<String>of() : schema.getRequired()) {
          if (!map.containsKey(required)) {
            violations.add(path + ": required " + required + " missing");
          }
        }
        map.forEach(
            (k, v) -> {
              JSONSchemaProps property = properties.get(k);
              if (property == null) {
                violations.add(path + ": unknown field " + k);
              } else {
                check(path + "." + k, property, v, violations);
              }
            });
      }
      case "array" -> {
        if (!(value instanceof List<?> list)) {
          violations.add(path + ": not a list: " + value);
          return;
        }
        if (schema.getMinItems() != null && list.size() < schema.getMinItems()) {
          violations.add(path + ": " + list.size() + " items, fewer than " + schema.getMinItems());
        }
        if (schema.getMaxItems() != null && list.size() > schema.getMaxItems()) {
          violations.add(path + ": " + list.size() + " items, more than " + schema.getMaxItems());
        }
        for (int i = 0; i < list.size(); i++) {
          check(path + "[" + i + "]", schema.getItems().getSchema(), list.get(i), violations);
        }
      }
      case "string" -> {
        if (!(value instanceof String s)) {
          violations.add(path + ": not a string: " + value);
          return;
        }
        int length = s.codePointCount(0, s.length());
        if (schema.getMinLength() != null && length < schema.getMinLength()) {
          violations.add(path + ": shorter than " + schema.getMinLength() + ": " + s);
        }
        if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
          violations.add(path + ": longer than " + schema.getMaxLength() + ": " + s);
        }
        if (schema.getPattern() != null
            && !Pattern.compile(schema.getPattern()).matcher(s).matches()) {
          violations.add(path + ": " + s + " does not match " + schema.getPattern());
        }
      }
      case "integer" -> {
        if (!(value instanceof Long n)) {
          violations.add(path + ": not an integer: " + value);
          return;
        }
        checkBounds(path, schema, n.doubleValue(), violations);
      }
      case "number" -> {
        if (!(value instanceof Double d) || d.isNaN() || d.isInfinite()) {
          violations.add(path + ": not a finite number: " + value);
          return;
        }
        checkBounds(path, schema, d, violations);
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          violations.add(path + ": not a boolean: " + value);
        }
      }
      default -> violations.add(path + ": unknown type " + schema.getType());
    }
  }

  private static void checkBounds(
      String path, JSONSchemaProps schema, double n, List<String> violations) {
    if (schema.getMinimum() != null) {
      boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMinimum());
      if (exclusive ? n <= schema.getMinimum() : n < schema.getMinimum()) {
        violations.add(
            path
                + ": "
                + n
                + " below minimum "
                + schema.getMinimum()
                + (exclusive ? " (exclusive)" : ""));
      }
    }
    if (schema.getMaximum() != null) {
      boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMaximum());
      if (exclusive ? n >= schema.getMaximum() : n > schema.getMaximum()) {
        violations.add(
            path
                + ": "
                + n
                + " above maximum "
                + schema.getMaximum()
                + (exclusive ? " (exclusive)" : ""));
      }
    }
  }

  private static long asLong(Object value) {
    return ((Number) value).longValue();
  }

  private static List<?> list(Map<String, Object> spec, String field) {
    Object value = spec.get(field);
    return value == null ? List.of() : (List<?>) value;
  }
}
