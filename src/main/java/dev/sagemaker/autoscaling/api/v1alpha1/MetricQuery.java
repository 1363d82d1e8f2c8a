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
  @Size(min = 1, max = SpecLimits.MAX_METRIC_NAME_LENGTH)
  @Pattern("^[a-z][a-zA-Z0-9_]*$")
  @JsonPropertyDescription("Query id, unique in the policy; starts with a lowercase letter.")
  private String id;

  @Size(min = 1, max = SpecLimits.MAX_EXPRESSION_LENGTH)
  @JsonPropertyDescription("Metric math expression over the other queries' ids.")
  private String expression;

  @JsonPropertyDescription("A metric to read, with its statistic (statistic is required here).")
  private CustomMetric metric;

  @Size(max = SpecLimits.MAX_EXPRESSION_LENGTH)
  @JsonPropertyDescription("Human-readable label of the query.")
  private String label;

  @JsonPropertyDescription(
      "True on the one query whose result is the tracked metric. Unset means false: the operator"
          + " sends false explicitly on every other query, as AWS requires.")
  private Boolean returnData;
}
