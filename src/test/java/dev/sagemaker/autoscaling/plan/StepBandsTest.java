package dev.sagemaker.autoscaling.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.plan.PolicyConfig.StepAdjustment;
import dev.sagemaker.autoscaling.plan.StepBands.Band;
import dev.sagemaker.autoscaling.plan.StepBands.InvalidBandsException;
import dev.sagemaker.autoscaling.plan.StepBands.Side;
import dev.sagemaker.autoscaling.plan.StepBands.SidePolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Examples of how absolute step bands become a lower and an upper step policy, as the AWS CDK
 * splits them.
 */
class StepBandsTest {

  private static final boolean RELATIVE = false;
  private static final boolean EXACT = true;

  private static Band below(double upper, int change) {
    return new Band(null, upper, change);
  }

  private static Band from(double lower, int change) {
    return new Band(lower, null, change);
  }

  private static Band between(double lower, double upper, int change) {
    return new Band(lower, upper, change);
  }

  private static StepAdjustment step(Double lower, Double upper, int change) {
    return new StepAdjustment(lower, upper, change);
  }

  private static List<SidePolicy> sides(boolean exact, Band... bands) throws InvalidBandsException {
    return StepBands.split(StepBands.normalize(List.of(bands), exact));
  }

  private static String refusal(boolean exact, List<Band> bands) {
    try {
      StepBands.split(StepBands.normalize(bands, exact));
    } catch (InvalidBandsException e) {
      return e.getMessage();
    }
    throw new AssertionError("bands were accepted: " + bands);
  }

  @Test
  void seedBandsGiveLowerSideAt30AndUpperSideAt70() throws Exception {
    List<SidePolicy> sides =
        sides(RELATIVE, below(30, -1), from(60, 0), between(70, 100, 1), from(100, 2));

    assertThat(sides)
        .containsExactly(
            new SidePolicy(Side.LOWER, 30, List.of(step(null, 0.0, -1))),
            new SidePolicy(Side.UPPER, 70, List.of(step(0.0, 30.0, 1), step(30.0, null, 2))));
  }

  @Test
  void cdkDocumentationExampleGivesTheSamePoliciesAsTheCdk() throws Exception {
    List<SidePolicy> sides = sides(RELATIVE, below(20, -1), from(70, 1), from(90, 2));

    assertThat(sides)
        .containsExactly(
            new SidePolicy(Side.LOWER, 20, List.of(step(null, 0.0, -1))),
            new SidePolicy(Side.UPPER, 70, List.of(step(0.0, 20.0, 1), step(20.0, null, 2))));
  }

  @Test
  void scaleOutOnlyBandsGiveOnlyAnUpperSide() throws Exception {
    List<SidePolicy> sides = sides(RELATIVE, from(50, 1), from(70, 3));

    assertThat(sides)
        .containsExactly(
            new SidePolicy(Side.UPPER, 50, List.of(step(0.0, 20.0, 1), step(20.0, null, 3))));
  }

  @Test
  void scaleInOnlyBandsGiveOnlyALowerSide() throws Exception {
    List<SidePolicy> sides = sides(RELATIVE, below(10, -2), between(10, 25, -1));

    // [25, ∞) is not covered by any band, so it is the no-change band.
    assertThat(sides)
        .containsExactly(
            new SidePolicy(Side.LOWER, 25, List.of(step(-15.0, 0.0, -1), step(null, -15.0, -2))));
  }

  @Test
  void withoutANoChangeBandAnEvenListSplitsAtTheMiddleIndex() throws Exception {
    List<SidePolicy> sides =
        sides(RELATIVE, below(10, -2), between(10, 20, -1), between(20, 30, 1), from(30, 2));

    assertThat(sides)
        .containsExactly(
            new SidePolicy(Side.LOWER, 20, List.of(step(-10.0, 0.0, -1), step(null, -10.0, -2))),
            new SidePolicy(Side.UPPER, 20, List.of(step(0.0, 10.0, 1), step(10.0, null, 2))));
  }

  @Test
  void withoutANoChangeBandAnOddListPutsTheMiddleBandOnTheUpperSide() throws Exception {
    List<SidePolicy> sides = sides(RELATIVE, below(10, -1), between(10, 20, 1), from(20, 2));

    assertThat(sides)
        .containsExactly(
            new SidePolicy(Side.LOWER, 10, List.of(step(null, 0.0, -1))),
            new SidePolicy(Side.UPPER, 10, List.of(step(0.0, 10.0, 1), step(10.0, null, 2))));
  }

  @Test
  void exactCapacityKeepsChangeZeroAsARealStep() throws Exception {
    // ExactCapacity 0 means "set capacity to 0": a step, not the no-change band.
    assertThat(sides(EXACT, below(30, 0), from(70, 5)))
        .containsExactly(
            new SidePolicy(Side.LOWER, 30, List.of(step(null, 0.0, 0))),
            new SidePolicy(Side.UPPER, 70, List.of(step(0.0, null, 5))));
    assertThat(sides(EXACT, below(50, 0), from(50, 4)))
        .containsExactly(
            new SidePolicy(Side.LOWER, 50, List.of(step(null, 0.0, 0))),
            new SidePolicy(Side.UPPER, 50, List.of(step(0.0, null, 4))));
  }

  @Test
  void relativeAdjustmentsTreatChangeZeroAsNoChange() throws Exception {
    // The zero band [0, 30) merges with the gap [30, 70) into one no-change band.
    assertThat(sides(RELATIVE, below(30, 0), from(70, 5)))
        .containsExactly(new SidePolicy(Side.UPPER, 70, List.of(step(0.0, null, 5))));
    assertThat(sides(RELATIVE, below(50, 0), from(50, 4)))
        .containsExactly(new SidePolicy(Side.UPPER, 50, List.of(step(0.0, null, 4))));
  }

  @Test
  void missingBoundsAreTakenFromTheNeighboursAndGapsBecomeNoChange() throws Exception {
    List<Band> bands =
        List.of(
            below(10, -1), from(20, 1), between(30, 40, 2), new Band(null, 60.0, 3), from(60, 4));

    assertThat(StepBands.normalize(bands, RELATIVE))
        .containsExactly(
            new StepBands.CompleteBand(0, 10, -1),
            new StepBands.CompleteBand(10, 20, null),
            new StepBands.CompleteBand(20, 30, 1),
            new StepBands.CompleteBand(30, 40, 2),
            new StepBands.CompleteBand(40, 60, 3),
            new StepBands.CompleteBand(60, Double.POSITIVE_INFINITY, 4));
  }

  @Test
  void theOrderTheBandsAreWrittenInDoesNotMatter() throws Exception {
    List<SidePolicy> ascending = sides(RELATIVE, below(50, -1), from(50, 1));
    List<SidePolicy> descending = sides(RELATIVE, from(50, 1), below(50, -1));

    assertThat(descending).isEqualTo(ascending);
    assertThat(sides(RELATIVE, from(100, 2), between(70, 100, 1), from(60, 0), below(30, -1)))
        .isEqualTo(sides(RELATIVE, below(30, -1), from(60, 0), between(70, 100, 1), from(100, 2)));
  }

  @Test
  void fewerThanTwoBandsAreRefused() {
    assertThat(refusal(RELATIVE, List.of(from(50, 1)))).contains("at least 2 steps");
    assertThat(refusal(RELATIVE, List.of())).contains("at least 2 steps");
  }

  @Test
  void aBandWithNeitherBoundIsRefused() {
    assertThat(refusal(RELATIVE, List.of(below(30, -1), new Band(null, null, 1))))
        .contains("needs lower, upper or both");
  }

  @Test
  void overlappingBandsAreRefused() {
    assertThat(refusal(RELATIVE, List.of(between(10, 50, 1), between(40, 60, 2))))
        .contains("overlap")
        .contains("[10, 50)")
        .contains("[40, 60)");
  }

  @Test
  void twoNoChangeBandsAreRefused() {
    // Gaps [10, 20) and [30, 40).
    assertThat(refusal(RELATIVE, List.of(below(10, -1), between(20, 30, 1), from(40, 2))))
        .contains("at most one no-change band");
    // Two zero bands that are not neighbours.
    assertThat(refusal(RELATIVE, List.of(below(10, 0), between(10, 20, 1), from(20, 0))))
        .contains("at most one no-change band");
    // With ExactCapacity the zeros are steps, so the same bands are fine.
    assertThat(catchSides(EXACT, below(10, 0), between(10, 20, 1), from(20, 0))).isNull();
  }

  @Test
  void negativeBoundsAreRefused() {
    assertThat(refusal(RELATIVE, List.of(between(-10, 10, -1), from(10, 1))))
        .contains("must not be negative");
    assertThat(refusal(RELATIVE, List.of(below(-5, -1), from(10, 1)))).isNotBlank();
  }

  @Test
  void moreThanTwentyStepsOnOneSideAreRefused() {
    List<Band> upper = new ArrayList<>();
    upper.add(below(5, -1));
    for (int i = 0; i < 21; i++) {
      upper.add(from(10 + i, 1));
    }
    assertThat(refusal(RELATIVE, upper)).contains("upper side has 21 steps").contains("at most 20");

    List<Band> lower = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      lower.add(below(1 + i, -1));
    }
    lower.add(from(100, 1));
    assertThat(refusal(RELATIVE, lower)).contains("lower side has 21 steps").contains("at most 20");
  }

  @Test
  void twentyStepsOnEachSideAreAccepted() throws Exception {
    List<Band> bands = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      bands.add(below(1 + i, -1));
    }
    for (int i = 0; i < 20; i++) {
      bands.add(from(30 + i, 1));
    }
    List<SidePolicy> sides = StepBands.split(StepBands.normalize(bands, RELATIVE));

    assertThat(sides).extracting(s -> s.adjustments().size()).containsExactly(20, 20);
    assertThat(sides).extracting(SidePolicy::threshold).containsExactly(20.0, 30.0);
  }

  private static InvalidBandsException catchSides(boolean exact, Band... bands) {
    try {
      sides(exact, bands);
      return null;
    } catch (InvalidBandsException e) {
      return e;
    }
  }
}
