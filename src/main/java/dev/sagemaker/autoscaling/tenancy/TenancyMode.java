package dev.sagemaker.autoscaling.tenancy;

import java.util.Locale;

/**
 * How far the operator trusts a namespace: {@code --tenancy}, env {@code TENANCY}, chart {@code
 * tenancy.mode}.
 */
public enum TenancyMode {
  /** A resource may only do what its namespace's admin-set annotations grant (the default). */
  NAMESPACE_GRANTS("namespace-grants"),
  /** Every namespace may drive every target, role and region the operator's identity can reach. */
  OPEN("open");

  private final String value;

  TenancyMode(String value) {
    this.value = value;
  }

  /** The spelling used on the command line, in the environment and in the chart. */
  public String value() {
    return value;
  }

  public static TenancyMode parse(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (TenancyMode mode : values()) {
      if (mode.value.equals(wanted)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "tenancy mode must be namespace-grants or open, got \"" + text + "\"");
  }

  @Override
  public String toString() {
    return value;
  }
}
