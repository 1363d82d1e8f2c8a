package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.minCapacity) || has(self.maxCapacity)",
    message = "a schedule sets minCapacity, maxCapacity or both")
@ValidationRule(
    value =
        "!has(self.minCapacity) || !has(self.maxCapacity) || self.minCapacity <= self.maxCapacity",
    message = "a schedule's minCapacity must be less than or equal to its maxCapacity",
    fieldPath = ".minCapacity")
@ValidationRule(
    value =
        "!has(self.startTime) || !has(self.endTime) || timestamp(self.startTime) <"
            + " timestamp(self.endTime)",
    message = "startTime must be before endTime",
    fieldPath = ".endTime")
public class ScheduleSpec {
  @Required
  @Size(min = 1, max = SpecLimits.MAX_ITEM_NAME_LENGTH)
  @Pattern(TargetTrackingPolicy.ITEM_NAME)
  @JsonPropertyDescription(
      "Name of the item, unique in this list. The scheduled action's name is derived from it.")
  private String name;

  @Required
  @Size(max = SpecLimits.MAX_SCHEDULE_LENGTH)
  @Pattern(SpecLimits.SCHEDULE_PATTERN)
  @JsonPropertyDescription(
      "When to act: at(yyyy-mm-ddThh:mm:ss), rate(N minutes|hours|days, N from 1 to 999999) or"
          + " cron(minutes hours day-of-month month day-of-week year), as Application Auto Scaling"
          + " reads them.")
  private String schedule;

  @Size(max = SpecLimits.MAX_TIMEZONE_LENGTH)
  @Pattern("^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$")
  @JsonPropertyDescription(
      "IANA time zone the schedule is read in, for example Europe/Berlin. Defaults to UTC.")
  private String timezone;

  @Pattern(
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
  @Size(max = SpecLimits.MAX_TIME_LENGTH)
  @JsonPropertyDescription("RFC 3339 time before which the schedule does not run.")
  private String startTime;

  @Pattern(
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
  @Size(max = SpecLimits.MAX_TIME_LENGTH)
  @JsonPropertyDescription("RFC 3339 time after which the schedule no longer runs.")
  private String endTime;

  @Min(0)
  @Max(SpecLimits.MAX_CAPACITY)
  @JsonPropertyDescription("Minimum capacity the action sets.")
  private Integer minCapacity;

  @Min(0)
  @Max(SpecLimits.MAX_CAPACITY)
  @JsonPropertyDescription("Maximum capacity the action sets.")
  private Integer maxCapacity;
}
