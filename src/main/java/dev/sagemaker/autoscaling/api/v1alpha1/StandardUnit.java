package dev.sagemaker.autoscaling.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** CloudWatch's StandardUnit: the only units PutMetricAlarm and customized metrics take. */
public enum StandardUnit {
  Seconds,
  Microseconds,
  Milliseconds,
  Bytes,
  Kilobytes,
  Megabytes,
  Gigabytes,
  Terabytes,
  Bits,
  Kilobits,
  Megabits,
  Gigabits,
  Terabits,
  Percent,
  Count,
  @JsonProperty("Bytes/Second")
  BytesPerSecond,
  @JsonProperty("Kilobytes/Second")
  KilobytesPerSecond,
  @JsonProperty("Megabytes/Second")
  MegabytesPerSecond,
  @JsonProperty("Gigabytes/Second")
  GigabytesPerSecond,
  @JsonProperty("Terabytes/Second")
  TerabytesPerSecond,
  @JsonProperty("Bits/Second")
  BitsPerSecond,
  @JsonProperty("Kilobits/Second")
  KilobitsPerSecond,
  @JsonProperty("Megabits/Second")
  MegabitsPerSecond,
  @JsonProperty("Gigabits/Second")
  GigabitsPerSecond,
  @JsonProperty("Terabits/Second")
  TerabitsPerSecond,
  @JsonProperty("Count/Second")
  CountPerSecond,
  None;

  /** The name AWS uses, for example Bytes/Second. */
  public String awsName() {
    try {
      JsonProperty property = StandardUnit.class.getField(name()).getAnnotation(JsonProperty.class);
      return property == null ? name() : property.value();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }
}
