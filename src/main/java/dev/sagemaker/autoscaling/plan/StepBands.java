package dev.sagemaker.autoscaling.plan;

import dev.sagemaker.autoscaling.api.v1alpha1.SpecLimits;
import dev.sagemaker.autoscaling.api.v1alpha1.StepBand;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepAdjustment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns step bands in absolute metric values into one step policy below the no-change band and one
 * above it, each with the threshold its alarm fires at, following the AWS CDK's StepScalingPolicy
 * (interval-utils.ts) so a CDK user gets the same AWS objects.
 */
public final class StepBands {
  private StepBands() {}

  /** A band as the user wrote it: either bound may be missing. */
  public record Band(Double lower, Double upper, int change) {}

  /** The spec's steps as bands; every step must have its change. */
  public static List<Band> of(List<StepBand> steps) {
    return steps.stream().map(s -> new Band(s.getLower(), s.getUpper(), s.getChange())).toList();
  }

  /** A band with both bounds known; change is null for the no-change band. */
  public record CompleteBand(double lower, double upper, Integer change) {}

  public enum Side {
    LOWER("lower", "LessThanOrEqualToThreshold"),
    UPPER("upper", "GreaterThanOrEqualToThreshold");

    private final String suffix;
    private final String comparisonOperator;

    Side(String suffix, String comparisonOperator) {
      this.suffix = suffix;
      this.comparisonOperator = comparisonOperator;
    }

    public String suffix() {
      return suffix;
    }

    public String comparisonOperator() {
      return comparisonOperator;
    }
  }

  /** One policy of the split: its alarm fires at threshold, the adjustments are offsets from it. */
  public record SidePolicy(Side side, double threshold, List<StepAdjustment> adjustments) {}

  /** Thrown with a message that says what is wrong with the bands, for the user. */
  public static final class InvalidBandsException extends Exception {
    public InvalidBandsException(String message) {
      super(message);
    }
  }

  /**
   * Sorts the bands, fills missing bounds from the neighbours, marks gaps and (for relative
   * adjustments) zero changes as no-change, and merges neighbouring no-change bands.
   */
  public static List<CompleteBand> normalize(List<Band> bands, boolean changesAreAbsolute)
      throws InvalidBandsException {
    if (bands.size() < 2) {
      throw new InvalidBandsException("at least 2 steps are required, got " + bands.size());
    }
    List<Double[]> bounds = new ArrayList<>();
    List<Band> sorted = new ArrayList<>(bands);
    for (Band band : sorted) {
      if (band.lower() == null && band.upper() == null) {
        throw new InvalidBandsException("every step needs lower, upper or both");
      }
    }
    // On equal keys a band given only by its upper bound ends where the other starts, so it comes
    // first; otherwise the result would depend on the order the user wrote the bands in.
    sorted.sort(
        Comparator.comparingDouble((Band b) -> b.lower() != null ? b.lower() : b.upper())
            .thenComparing(b -> b.lower() != null));
    for (Band band : sorted) {
      bounds.add(new Double[] {band.lower(), band.upper()});
    }
    propagateBounds(bounds);
    int last = bounds.size() - 1;
    if (bounds.get(0)[0] == null) {
      bounds.get(0)[0] = 0.0;
    }
    if (bounds.get(last)[1] == null) {
      bounds.get(last)[1] = Double.POSITIVE_INFINITY;
    }
    List<CompleteBand> complete = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Double lower = bounds.get(i)[0];
      Double upper = bounds.get(i)[1];
      if (lower == null || upper == null) {
        throw new InvalidBandsException(
            "cannot tell where the step with change " + sorted.get(i).change() + " starts or ends");
      }
      if (lower < 0) {
        throw new InvalidBandsException("step bounds must not be negative, got " + format(lower));
      }
      if (!(lower < upper)) {
        throw new InvalidBandsException(
            "the step from " + format(lower) + " to " + format(upper) + " is empty");
      }
      complete.add(new CompleteBand(lower, upper, sorted.get(i).change()));
    }
    for (int i = 0; i + 1 < complete.size(); i++) {
      if (complete.get(i).upper() > complete.get(i + 1).lower()) {
        throw new InvalidBandsException(
            "steps overlap: "
                + describe(complete.get(i))
                + " and "
                + describe(complete.get(i + 1)));
      }
    }
    List<CompleteBand> withGaps = fillGaps(complete);
    List<CompleteBand> merged = mergeNoChange(withGaps, changesAreAbsolute);
    long noChange = merged.stream().filter(b -> b.change() == null).count();
    if (noChange > 1) {
      throw new InvalidBandsException(
          "at most one no-change band (a gap between steps, or change 0) is allowed, found "
              + noChange);
    }
    return merged;
  }

  /** Splits normalized bands into the lower and upper policies, as the CDK does. */
  public static List<SidePolicy> split(List<CompleteBand> bands) throws InvalidBandsException {
    int gap = -1;
    for (int i = 0; i < bands.size(); i++) {
      if (bands.get(i).change() == null) {
        gap = i;
        break;
      }
    }
    Optional<Integer> lowerIndex;
    Optional<Integer> upperIndex;
    if (gap >= 0) {
      lowerIndex = gap > 0 ? Optional.of(gap - 1) : Optional.empty();
      upperIndex = gap < bands.size() - 1 ? Optional.of(gap + 1) : Optional.empty();
    } else {
      int middle = bands.size() / 2;
      lowerIndex = Optional.of(middle - 1);
      upperIndex = Optional.of(middle);
    }
    List<SidePolicy> sides = new ArrayList<>();
    if (lowerIndex.isPresent()) {
      int top = lowerIndex.get();
      double threshold = bands.get(top).upper();
      List<StepAdjustment> adjustments = new ArrayList<>();
      for (int i = top; i >= 0; i--) {
        CompleteBand band = bands.get(i);
        adjustments.add(
            new StepAdjustment(
                i != 0 ? band.lower() - threshold : null, band.upper() - threshold, band.change()));
      }
      sides.add(checkedSide(Side.LOWER, threshold, adjustments));
    }
    if (upperIndex.isPresent()) {
      int bottom = upperIndex.get();
      double threshold = bands.get(bottom).lower();
      List<StepAdjustment> adjustments = new ArrayList<>();
      for (int i = bottom; i < bands.size(); i++) {
        CompleteBand band = bands.get(i);
        adjustments.add(
            new StepAdjustment(
                band.lower() - threshold,
                i != bands.size() - 1 ? band.upper() - threshold : null,
                band.change()));
      }
      sides.add(checkedSide(Side.UPPER, threshold, adjustments));
    }
    return sides;
  }

  private static SidePolicy checkedSide(
      Side side, double threshold, List<StepAdjustment> adjustments) throws InvalidBandsException {
    if (adjustments.size() > SpecLimits.MAX_STEPS_PER_SIDE) {
      throw new InvalidBandsException(
          "the "
              + side.suffix()
              + " side has "
              + adjustments.size()
              + " steps; AWS allows at most "
              + SpecLimits.MAX_STEPS_PER_SIDE
              + " per policy");
    }
    return new SidePolicy(side, threshold, adjustments);
  }

  private static void propagateBounds(List<Double[]> bounds) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i + 1 < bounds.size(); i++) {
        if (bounds.get(i)[1] != null && bounds.get(i + 1)[0] == null) {
          bounds.get(i + 1)[0] = bounds.get(i)[1];
          changed = true;
        }
      }
      for (int i = bounds.size() - 1; i >= 1; i--) {
        if (bounds.get(i)[0] != null && bounds.get(i - 1)[1] == null) {
          bounds.get(i - 1)[1] = bounds.get(i)[0];
          changed = true;
        }
      }
    }
  }

  private static List<CompleteBand> fillGaps(List<CompleteBand> bands) {
    List<CompleteBand> result = new ArrayList<>();
    if (bands.get(0).lower() != 0) {
      result.add(new CompleteBand(0, bands.get(0).lower(), null));
    }
    for (CompleteBand band : bands) {
      if (!result.isEmpty() && result.get(result.size() - 1).upper() < band.lower()) {
        result.add(new CompleteBand(result.get(result.size() - 1).upper(), band.lower(), null));
      }
      result.add(band);
    }
    CompleteBand last = result.get(result.size() - 1);
    if (last.upper() != Double.POSITIVE_INFINITY) {
      result.add(new CompleteBand(last.upper(), Double.POSITIVE_INFINITY, null));
    }
    return result;
  }

  private static List<CompleteBand> mergeNoChange(
      List<CompleteBand> bands, boolean changesAreAbsolute) {
    List<CompleteBand> result = new ArrayList<>();
    for (CompleteBand band : bands) {
      Integer change =
          !changesAreAbsolute && Integer.valueOf(0).equals(band.change()) ? null : band.change();
      CompleteBand current = new CompleteBand(band.lower(), band.upper(), change);
      if (change == null && !result.isEmpty() && result.get(result.size() - 1).change() == null) {
        CompleteBand previous = result.remove(result.size() - 1);
        current = new CompleteBand(previous.lower(), band.upper(), null);
      }
      result.add(current);
    }
    return result;
  }

  private static String describe(CompleteBand band) {
    return "[" + format(band.lower()) + ", " + format(band.upper()) + ")";
  }

  static String format(double value) {
    if (Double.isInfinite(value)) {
      return "∞";
    }
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
