package dev.sagemaker.autoscaling.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sagemaker.autoscaling.api.v1alpha1.AdjustmentType;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricKind;
import dev.sagemaker.autoscaling.api.v1alpha1.ModelType;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingTarget;
import dev.sagemaker.autoscaling.api.v1alpha1.StepBand;
import dev.sagemaker.autoscaling.api.v1alpha1.StepScalingPolicy;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepAdjustment;
import dev.sagemaker.autoscaling.plan.PolicyConfig.StepScaling;
import dev.sagemaker.autoscaling.plan.StepBands.InvalidBandsException;
import dev.sagemaker.autoscaling.plan.StepBands.Side;
import dev.sagemaker.autoscaling.plan.StepBands.SidePolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Step bands are generated valid by construction from a partition of the metric axis; for every
 * metric value, the policies and alarms the planner makes must apply exactly the change of the
 * absolute band the value falls in, with AWS's bound inclusivity. Invalid band lists must be
 * refused.
 */
class StepBandsProperties {
  private static final Owner OWNER = new Owner("test", "ml", "recommender");
  private static final double INF = Double.POSITIVE_INFINITY;

  /** How the one no-change interval of the axis (if any) is written. */
  enum NoChange {
    NONE,
    GAP,
    ZERO,
    ZERO_THEN_GAP,
    GAP_THEN_ZERO
  }

  /** Which of two neighbouring bands states the value they share. */
  enum Join {
    BOTH,
    LEFT_STATES,
    RIGHT_STATES
  }

  enum Defect {
    OVERLAP,
    SECOND_NO_CHANGE,
    NO_BOUNDS
  }

  /** An interval of the absolute metric axis; change null is the no-change interval. */
  record Interval(double lower, double upper, Integer change) {}

  /**
   * A stretch of the axis as written: a band (change non-null, 0 included) or a gap (change null).
   * A pinned band states both its bounds.
   */
  record Piece(double lower, double upper, Integer change, boolean pinned) {
    boolean gap() {
      return change == null;
    }
  }

  /**
   * A valid band list and the axis it was built from. noChange is the index of the no-change
   * interval in axis, or -1 when there is none.
   */
  record ValidCase(
      AdjustmentType type,
      NoChange form,
      List<Interval> axis,
      int noChange,
      List<Piece> pieces,
      List<Join> joins,
      boolean firstLowerStated,
      List<StepBand> steps) {
    boolean exact() {
      return type == AdjustmentType.ExactCapacity;
    }

    @Override
    public String toString() {
      return type + " axis=" + axis + " noChange=" + noChange + " steps=" + steps;
    }
  }

  record InvalidCase(Defect defect, AdjustmentType type, List<StepBand> steps) {}

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<ValidCase> validCases() {
    Arbitrary<Integer> widths =
        Arbitraries.oneOf(
            Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 400_000));
    return Combinators.combine(
            Arbitraries.of(AdjustmentType.class),
            Arbitraries.integers().between(2, 41),
            Arbitraries.of(NoChange.class),
            Arbitraries.integers().between(0, 40),
            widths.list().ofSize(41),
            Arbitraries.integers().between(-50, 50).list().ofSize(41),
            Arbitraries.of(Join.class).list().ofSize(45),
            Arbitraries.of(true, false))
        .as(StepBandsProperties::build);
  }

  /**
   * Builds n intervals from 0 to +∞ whose widths are multiples of 1/4 (so every offset is exact),
   * at most one of them no-change, each side of it at most 20 intervals, then writes them as bands.
   */
  static ValidCase build(
      AdjustmentType type,
      int count,
      NoChange requested,
      int position,
      List<Integer> widths,
      List<Integer> rawChanges,
      List<Join> joins,
      boolean firstLowerStated) {
    boolean exact = type == AdjustmentType.ExactCapacity;
    // Under ExactCapacity a zero band is a real step, so the only no-change interval is a gap.
    NoChange form = exact && requested != NoChange.NONE ? NoChange.GAP : requested;
    int n =
        switch (form) {
          case NONE, ZERO, ZERO_THEN_GAP, GAP_THEN_ZERO -> Math.min(count, 40);
          case GAP -> Math.max(count, 3);
        };
    int noChange = -1;
    if (form != NoChange.NONE) {
      int lowest = Math.max(0, n - 21);
      int highest = Math.min(20, n - 1);
      noChange = lowest + position % (highest - lowest + 1);
    }
    List<Interval> axis = new ArrayList<>();
    double at = 0;
    for (int i = 0; i < n; i++) {
      double upper = i == n - 1 ? INF : at + widths.get(i) / 4.0;
      axis.add(new Interval(at, upper, i == noChange ? null : change(rawChanges.get(i), exact)));
      at = upper;
    }
    List<Piece> pieces = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Interval interval = axis.get(i);
      if (i != noChange) {
        pieces.add(new Piece(interval.lower(), interval.upper(), interval.change(), false));
        continue;
      }
      double mid = middle(interval.lower(), interval.upper());
      switch (form) {
        case GAP -> pieces.add(new Piece(interval.lower(), interval.upper(), null, false));
        case ZERO -> pieces.add(new Piece(interval.lower(), interval.upper(), 0, false));
        case ZERO_THEN_GAP -> {
          pieces.add(new Piece(interval.lower(), mid, 0, true));
          pieces.add(new Piece(mid, interval.upper(), null, false));
        }
        case GAP_THEN_ZERO -> {
          pieces.add(new Piece(interval.lower(), mid, null, false));
          pieces.add(new Piece(mid, interval.upper(), 0, true));
        }
        case NONE -> throw new IllegalStateException();
      }
    }
    List<StepBand> steps = render(pieces, joins, firstLowerStated);
    int lowerSide = noChange >= 0 ? noChange : n / 2;
    int upperSide = noChange >= 0 ? n - 1 - noChange : n - n / 2;
    if (steps.size() < 2 || steps.size() > 40 || lowerSide > 20 || upperSide > 20) {
      throw new IllegalStateException("generator made an invalid case: " + steps);
    }
    return new ValidCase(type, form, axis, noChange, pieces, joins, firstLowerStated, steps);
  }

  private static int change(int raw, boolean exact) {
    if (exact) {
      return Math.abs(raw);
    }
    return raw == 0 ? 1 : raw;
  }

  private static double middle(double lower, double upper) {
    return Double.isInfinite(upper) ? lower + 1 : (lower + upper) / 2;
  }

  /**
   * Writes pieces as bands. Every value two bands share is stated by at least one of them, a band
   * next to a gap states the bound it shares with the gap, no band omits both bounds, and +∞ is
   * never written.
   */
  static List<StepBand> render(List<Piece> pieces, List<Join> joins, boolean firstLowerStated) {
    List<StepBand> steps = new ArrayList<>();
    for (int k = 0; k < pieces.size(); k++) {
      Piece piece = pieces.get(k);
      if (piece.gap()) {
        continue;
      }
      boolean lowerStated;
      if (k == 0) {
        lowerStated = firstLowerStated || piece.pinned();
      } else {
        Piece previous = pieces.get(k - 1);
        lowerStated =
            previous.gap()
                || previous.pinned()
                || piece.pinned()
                || join(joins, k) != Join.LEFT_STATES;
      }
      boolean upperStated;
      if (Double.isInfinite(piece.upper())) {
        upperStated = false;
      } else {
        Piece next = pieces.get(k + 1);
        upperStated =
            next.gap()
                || next.pinned()
                || piece.pinned()
                || join(joins, k + 1) != Join.RIGHT_STATES;
      }
      if (!lowerStated && !upperStated) {
        lowerStated = true;
      }
      steps.add(
          new StepBand(
              lowerStated ? piece.lower() : null,
              upperStated ? piece.upper() : null,
              piece.change()));
    }
    return steps;
  }

  private static Join join(List<Join> joins, int k) {
    return joins.get(k % joins.size());
  }

  @Provide
  Arbitrary<InvalidCase> invalidCases() {
    return Combinators.combine(
            validCases(),
            Arbitraries.of(Defect.class),
            Arbitraries.integers().between(0, 10_000),
            Arbitraries.integers().between(0, 10_000),
            Arbitraries.of(true, false))
        .as(StepBandsProperties::inject);
  }

  static InvalidCase inject(
      ValidCase valid, Defect defect, int where, int insertAt, boolean zeroNotGap) {
    List<Interval> axis = valid.axis();
    List<StepBand> steps;
    switch (defect) {
      case OVERLAP -> {
        // A band straddling a value where two intervals meet; pieces are at least 1/8 wide.
        double cut = axis.get(1 + where % (axis.size() - 1)).lower();
        steps = new ArrayList<>(valid.steps());
        steps.add(insertAt % (steps.size() + 1), new StepBand(cut - 1.0 / 16, cut + 1.0 / 16, 7));
      }
      case NO_BOUNDS -> {
        steps = new ArrayList<>(valid.steps());
        steps.add(insertAt % (steps.size() + 1), new StepBand(null, null, 3));
      }
      case SECOND_NO_CHANGE -> {
        // Cut one interval that changes capacity into changing pieces around one or two new
        // no-change pieces, so there are two no-change stretches with a changing band between.
        int wanted = valid.noChange() >= 0 ? 1 : 2;
        List<Integer> changing = new ArrayList<>();
        for (int i = 0; i < axis.size(); i++) {
          if (i != valid.noChange()) {
            changing.add(i);
          }
        }
        Interval victim = axis.get(changing.get(where % changing.size()));
        Integer noChange = zeroNotGap && !valid.exact() ? Integer.valueOf(0) : null;
        List<Piece> pieces = new ArrayList<>();
        for (Piece piece : valid.pieces()) {
          if (piece.lower() != victim.lower()
              || piece.gap()
              || piece.change().equals(0) && !valid.exact()) {
            pieces.add(piece);
            continue;
          }
          double step =
              Double.isInfinite(victim.upper()) ? 1 : (victim.upper() - victim.lower()) / 8;
          double at = victim.lower();
          for (int j = 0; j < 2 * wanted + 1; j++) {
            double upper = j == 2 * wanted ? victim.upper() : victim.lower() + (j + 1) * step;
            pieces.add(new Piece(at, upper, j % 2 == 0 ? victim.change() : noChange, true));
            at = upper;
          }
        }
        steps = render(pieces, valid.joins(), valid.firstLowerStated());
      }
      default -> throw new IllegalStateException();
    }
    return new InvalidCase(defect, valid.type(), steps);
  }

  // ---------------------------------------------------------------- properties

  @Property(tries = 1000)
  void everyMetricValueGetsTheChangeOfTheBandItFallsIn(
      @ForAll("validCases") ValidCase valid,
      @ForAll @Size(max = 40)
          List<@IntRange(min = -6_400, max = 1_000_000_000) Integer> sixtyFourths)
      throws Exception {
    Statistics.label("adjustment type").collect(valid.type());
    Statistics.label("no-change band written as").collect(valid.form());
    Statistics.label("bands")
        .collect(valid.steps().size() <= 4 ? "2-4" : valid.steps().size() <= 20 ? "5-20" : "21-40");
    DesiredState desired =
        Planner.plan(spec(valid.type(), valid.steps()), OWNER, Optional.empty()).desiredOrThrow();

    TreeSet<Double> values = new TreeSet<>();
    for (Piece piece : valid.pieces()) {
      for (double edge : new double[] {piece.lower(), piece.upper()}) {
        if (!Double.isInfinite(edge)) {
          for (double delta : new double[] {-1.0 / 8, -1.0 / 64, 0, 1.0 / 64, 1.0 / 8}) {
            values.add(edge + delta);
          }
        }
      }
      values.add(middle(piece.lower(), piece.upper()));
    }
    double top = valid.axis().get(valid.axis().size() - 1).lower();
    values.addAll(
        List.of(-Double.MAX_VALUE, -1e9, -1.0, top + 1e6, top * 4 + 1, 1e12, Double.MAX_VALUE));
    sixtyFourths.forEach(k -> values.add(k / 64.0));

    for (double m : values) {
      assertThat(applied(desired, m))
          .as("changes applied at metric value %s for %s", m, valid)
          .containsExactlyInAnyOrderElementsOf(expected(valid, m));
    }
  }

  @Property(tries = 1000)
  void everySideIsAContiguousRunOfAtMostTwentyStepsWithOneOpenEnd(
      @ForAll("validCases") ValidCase valid) throws Exception {
    List<SidePolicy> sides =
        StepBands.split(StepBands.normalize(StepBands.of(valid.steps()), valid.exact()));

    assertThat(sides).isNotEmpty().hasSizeLessThanOrEqualTo(2);
    assertThat(sides).extracting(SidePolicy::side).doesNotHaveDuplicates();
    for (SidePolicy side : sides) {
      List<StepAdjustment> steps = side.adjustments();
      assertThat(steps).as("%s", side).hasSizeBetween(1, 20);
      boolean lower = side.side() == Side.LOWER;
      // Outward from the threshold: the first step touches it, the last is unbounded.
      assertThat(lower ? steps.get(0).upperBound() : steps.get(0).lowerBound())
          .as("%s", side)
          .isEqualTo(0.0);
      for (int i = 0; i < steps.size(); i++) {
        StepAdjustment step = steps.get(i);
        Double inner = lower ? step.upperBound() : step.lowerBound();
        Double outer = lower ? step.lowerBound() : step.upperBound();
        assertThat(inner).as("inner bound of step %s of %s", i, side).isNotNull();
        if (i == steps.size() - 1) {
          assertThat(outer).as("outer bound of the last step of %s", side).isNull();
        } else {
          assertThat(outer).as("outer bound of step %s of %s", i, side).isNotNull();
          Double nextInner = lower ? steps.get(i + 1).upperBound() : steps.get(i + 1).lowerBound();
          assertThat(nextInner)
              .as("step %s of %s continues step %s", i + 1, side, i)
              .isEqualTo(outer);
          assertThat(step.lowerBound())
              .as("step %s of %s is not empty", i, side)
              .isLessThan(step.upperBound());
        }
        if (!valid.exact()) {
          assertThat(step.scalingAdjustment()).as("relative steps change capacity").isNotZero();
        }
      }
    }
  }

  @Property(tries = 500)
  void theOrderOfTheBandsDoesNotChangeThePlan(
      @ForAll("validCases") ValidCase valid, @ForAll Random random) throws Exception {
    List<StepBand> shuffled = new ArrayList<>(valid.steps());
    Collections.shuffle(shuffled, random);

    assertThat(Planner.plan(spec(valid.type(), shuffled), OWNER, Optional.empty()))
        .isEqualTo(Planner.plan(spec(valid.type(), valid.steps()), OWNER, Optional.empty()));
  }

  @Property(tries = 1000)
  void invalidBandListsAreAlwaysRefused(@ForAll("invalidCases") InvalidCase invalid) {
    Statistics.label("defect").collect(invalid.defect());
    boolean exact = invalid.type() == AdjustmentType.ExactCapacity;
    InvalidBandsException refusal =
        catchThrowableOfType(
            InvalidBandsException.class,
            () -> StepBands.split(StepBands.normalize(StepBands.of(invalid.steps()), exact)));

    assertThat(refusal).as("refusal of %s", invalid).isNotNull();
    switch (invalid.defect()) {
      case OVERLAP -> assertThat(refusal.getMessage()).containsAnyOf("overlap", "is empty");
      case SECOND_NO_CHANGE ->
          assertThat(refusal.getMessage()).contains("at most one no-change band");
      case NO_BOUNDS -> assertThat(refusal.getMessage()).contains("needs lower, upper or both");
    }
    assertThat(SpecValidator.validate(spec(invalid.type(), invalid.steps()), OWNER))
        .as("validation of %s", invalid)
        .anySatisfy(problem -> assertThat(problem.field()).isEqualTo("spec.stepScaling[0].steps"));
  }

  // ---------------------------------------------------------------- reference and simulation

  /**
   * The reference, on the absolute axis: intervals below the no-change one (or, without one, the
   * lower half) are (lower, upper] with the first reaching −∞; those above are [lower, upper) with
   * the last reaching +∞. Without a no-change interval the halves share their boundary, and AWS
   * runs both alarms there.
   */
  static List<Integer> expected(ValidCase valid, double m) {
    List<Interval> axis = valid.axis();
    int n = axis.size();
    int lowerEnd = valid.noChange() >= 0 ? valid.noChange() : n / 2;
    int upperStart = valid.noChange() >= 0 ? valid.noChange() + 1 : n / 2;
    List<Integer> changes = new ArrayList<>();
    for (int i = 0; i < lowerEnd; i++) {
      double lower = i == 0 ? Double.NEGATIVE_INFINITY : axis.get(i).lower();
      if (lower < m && m <= axis.get(i).upper()) {
        changes.add(axis.get(i).change());
      }
    }
    for (int i = upperStart; i < n; i++) {
      if (axis.get(i).lower() <= m && m < axis.get(i).upper()) {
        changes.add(axis.get(i).change());
      }
    }
    return changes;
  }

  /**
   * What AWS does at metric value m: an alarm below its threshold fires at m ≤ threshold and runs
   * the step whose (lower, upper] holds m − threshold; one above fires at m ≥ threshold and runs
   * the step whose [lower, upper) holds it. Null bounds are unbounded.
   */
  static List<Integer> applied(DesiredState desired, double m) {
    List<Integer> changes = new ArrayList<>();
    for (Alarm alarm : desired.alarms()) {
      StepScaling policy =
          (StepScaling)
              desired.policies().stream()
                  .filter(p -> p.name().equals(alarm.policyName()))
                  .findFirst()
                  .orElseThrow(() -> new AssertionError("no policy for alarm " + alarm.name()))
                  .config();
      double offset = m - alarm.threshold();
      boolean below =
          switch (alarm.comparisonOperator()) {
            case "LessThanOrEqualToThreshold" -> true;
            case "GreaterThanOrEqualToThreshold" -> false;
            default ->
                throw new AssertionError("unexpected operator " + alarm.comparisonOperator());
          };
      if (below ? m > alarm.threshold() : m < alarm.threshold()) {
        continue;
      }
      for (StepAdjustment step : policy.adjustments()) {
        double lower = step.lowerBound() == null ? Double.NEGATIVE_INFINITY : step.lowerBound();
        double upper = step.upperBound() == null ? INF : step.upperBound();
        boolean holds =
            below ? lower < offset && offset <= upper : lower <= offset && offset < upper;
        if (holds) {
          changes.add(step.scalingAdjustment());
        }
      }
    }
    return changes;
  }

  static SageMakerScalingPolicySpec spec(AdjustmentType type, List<StepBand> steps) {
    ScalingTarget target = new ScalingTarget();
    target.setEndpointName("recommender-prod");
    target.setVariantName("prod");
    StepScalingPolicy item = new StepScalingPolicy();
    item.setName("cpu-steps");
    item.setMetric(MetricKind.CPUUtilization);
    item.setAdjustmentType(type);
    item.setSteps(steps);
    SageMakerScalingPolicySpec spec = new SageMakerScalingPolicySpec();
    spec.setModelType(ModelType.RealTime);
    spec.setTarget(target);
    spec.setMinCapacity(1);
    spec.setMaxCapacity(3);
    spec.setStepScaling(List.of(item));
    return spec;
  }
}
