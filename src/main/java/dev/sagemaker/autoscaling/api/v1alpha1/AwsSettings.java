package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import lombok.Data;

@Data
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsSettings {
  @Size(max = SpecLimits.MAX_REGION_LENGTH)
  @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")
  @JsonPropertyDescription(
      "AWS region of the endpoint, for example eu-west-1. Defaults to the operator's region.")
  private String region;

  @Size(max = SpecLimits.MAX_ROLE_ARN_LENGTH)
  @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}$")
  @JsonPropertyDescription(
      "IAM role the operator assumes for this resource (for another account or narrower rights)."
          + " Defaults to the operator's own identity.")
  private String roleArn;
}
