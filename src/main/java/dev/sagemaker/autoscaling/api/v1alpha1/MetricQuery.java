package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** One query of a metric-math target-tracking metric. */
@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.expression) != has(self.metric)",
    message = "each metric query sets exactly one of expression or metric")
public class MetricQuery {
  @Required
  @Size(min = 1, max = 255)
  @Pattern("^[a-z][a-zA-Z0-9_]*$")
  @JsonPropertyDescription("Query id, unique in the policy; starts with a lowercase letter.")
  private String id;

  @Size(min = 1, max = 2048)
  @JsonPropertyDescription("Metric math expression over the other queries' ids.")
  private String expression;

  @JsonPropertyDescription("A metric to read, with its statistic (statistic is required here).")
  private CustomMetric metric;

  @Size(max = 2048)
  @JsonPropertyDescription("Human-readable label of the query.")
  private String label;

  @JsonPropertyDescription(
      "True on the one query whose result is the tracked metric; leave unset elsewhere.")
  private Boolean returnData;
}
