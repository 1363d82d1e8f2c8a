package dev.sagemaker.autoscaling.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three schedule forms of PutScheduledAction, in their time zones. */
class ScheduleExpressionTest {
  private static final Instant ANCHOR = Instant.parse("2026-03-28T00:00:00Z");

  private static List<Instant> firings(String expression, String zone, Instant from, int minutes) {
    ScheduleExpression schedule = ScheduleExpression.parse(expression, zone, null, from);
    List<Instant> out = new ArrayList<>();
    for (int m = 0; m < minutes; m++) {
      Instant t = from.plusSeconds(60L * m);
      if (schedule.firesAt(t)) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void cronFollowsTheTimeZoneAcrossADaylightSavingChange() {
    // Berlin moves from UTC+1 to UTC+2 at 02:00 local on 2026-03-29: 01:00 local is 00:00 UTC up to
    // that day,
    // then 23:00 UTC the day before.
    assertThat(firings("cron(0 1 * * ? *)", "Europe/Berlin", ANCHOR, 3 * 1440))
        .containsExactly(
            Instant.parse("2026-03-28T00:00:00Z"),
            Instant.parse("2026-03-29T00:00:00Z"),
            Instant.parse("2026-03-29T23:00:00Z"),
            Instant.parse("2026-03-30T23:00:00Z"));
  }

  @Test
  void cronDayOfWeekCountsSundayAsOneAndAcceptsNamesRangesAndSteps() {
    // 2026-03-28 is a Saturday. MON-FRI at 09:30 UTC: Monday 30 and Tuesday 31.
    assertThat(firings("cron(30 9 ? * MON-FRI *)", null, ANCHOR, 4 * 1440))
        .containsExactly(
            Instant.parse("2026-03-30T09:30:00Z"), Instant.parse("2026-03-31T09:30:00Z"));
    assertThat(firings("cron(0/20 9 ? * 7 *)", null, ANCHOR, 1440))
        .containsExactly(
            Instant.parse("2026-03-28T09:00:00Z"),
            Instant.parse("2026-03-28T09:20:00Z"),
            Instant.parse("2026-03-28T09:40:00Z"));
    assertThat(firings("cron(0 12 L * ? *)", null, ANCHOR, 5 * 1440))
        .containsExactly(Instant.parse("2026-03-31T12:00:00Z"));
  }

  @Test
  void rateCountsFromTheStartAndAtFiresOnceInItsZone() {
    assertThat(firings("rate(90 minutes)", null, ANCHOR, 300))
        .containsExactly(
            ANCHOR, ANCHOR.plusSeconds(5400), ANCHOR.plusSeconds(10800), ANCHOR.plusSeconds(16200));
    assertThat(firings("at(2026-03-28T10:15:00)", "America/New_York", ANCHOR, 1440))
        .containsExactly(Instant.parse("2026-03-28T14:15:00Z"));
  }

  @Test
  void refusesWhatItCannotEvaluate() {
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 1 15W * ? *)", null, null, ANCHOR))
        .hasMessageContaining("W");
    assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 1 * * *)", null, null, ANCHOR))
        .hasMessageContaining("6 fields");
    assertThatThrownBy(() -> ScheduleExpression.parse("every day", null, null, ANCHOR))
        .hasMessageContaining("at(...)");
  }
}
