package dev.sagemaker.autoscaling.simulate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Numbers as people read them: no trailing zeros, at most three decimals. */
final class Numbers {
  private Numbers() {}

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "∞" : "-∞";
    }
    BigDecimal rounded =
        BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
    return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
  }
}
