package dev.sagemaker.autoscaling.plan;

import java.time.Instant;

/**
 * Where a CloudWatch alarm stands: {@code OK}, {@code ALARM} or {@code INSUFFICIENT_DATA},
 * CloudWatch's words for why, and since when (StateUpdatedTimestamp). Read with the alarm, at no
 * extra cost.
 */
public record AlarmState(String value, String reason, Instant since) {
  public static final String OK = "OK";
  public static final String ALARM = "ALARM";
  public static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

  public boolean inAlarm() {
    return ALARM.equals(value);
  }

  public boolean withoutData() {
    return INSUFFICIENT_DATA.equals(value);
  }
}
