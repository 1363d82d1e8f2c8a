package dev.sagemaker.autoscaling.simulate;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a scheduled action fires, for the three forms Application Auto Scaling accepts (API
 * reference, PutScheduledAction "Schedule"): {@code at(yyyy-mm-ddThh:mm:ss)}, {@code rate(value
 * unit)} and {@code cron(minutes hours day-of-month month day-of-week year)}, evaluated in the
 * action's time zone. Cron supports {@code * ? , - /}, month and day names, {@code L} in the
 * day-of-month field and {@code L}/{@code #} in the day-of-week field; {@code W} is refused.
 */
public abstract sealed class ScheduleExpression {
  private static final Pattern AT = Pattern.compile("^at\\((.+)\\)$");
  private static final Pattern RATE =
      Pattern.compile("^rate\\((\\d+)\\s+(minute|minutes|hour|hours|day|days)\\)$");
  private static final Pattern CRON = Pattern.compile("^cron\\((.+)\\)$");

  /** Whether the action fires in the minute that starts at {@code minute}. */
  public abstract boolean firesAt(Instant minute);

  /**
   * @param anchor when a rate schedule starts counting if the action has no start time: the
   *     action's creation, which for a replay is the trace's first minute
   */
  public static ScheduleExpression parse(
      String expression, String timezone, Instant startTime, Instant anchor) {
    ZoneId zone = timezone == null ? ZoneId.of("UTC") : ZoneId.of(timezone);
    String text = expression.strip();
    Matcher at = AT.matcher(text);
    if (at.matches()) {
      try {
        Instant when = LocalDateTime.parse(at.group(1)).atZone(zone).toInstant();
        return new At(when.truncatedTo(ChronoUnit.MINUTES));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("at(...) needs yyyy-mm-ddThh:mm:ss, got " + at.group(1));
      }
    }
    Matcher rate = RATE.matcher(text);
    if (rate.matches()) {
      long value = Long.parseLong(rate.group(1));
      long minutes =
          switch (rate.group(2)) {
            case "minute", "minutes" -> value;
            case "hour", "hours" -> value * 60;
            default -> value * 1440;
          };
      if (minutes <= 0) {
        throw new IllegalArgumentException("rate(...) needs a positive value");
      }
      Instant from = (startTime != null ? startTime : anchor).truncatedTo(ChronoUnit.MINUTES);
      return new Rate(from, minutes);
    }
    Matcher cron = CRON.matcher(text);
    if (cron.matches()) {
      return Cron.parse(cron.group(1), zone);
    }
    throw new IllegalArgumentException(
        "schedule must be at(...), rate(...) or cron(...): " + expression);
  }

  static final class At extends ScheduleExpression {
    private final Instant when;

    At(Instant when) {
      this.when = when;
    }

    @Override
    public boolean firesAt(Instant minute) {
      return minute.equals(when);
    }
  }

  static final class Rate extends ScheduleExpression {
    private final Instant from;
    private final long everyMinutes;

    Rate(Instant from, long everyMinutes) {
      this.from = from;
      this.everyMinutes = everyMinutes;
    }

    @Override
    public boolean firesAt(Instant minute) {
      long elapsed = ChronoUnit.MINUTES.between(from, minute);
      return !minute.isBefore(from) && elapsed % everyMinutes == 0;
    }
  }

  static final class Cron extends ScheduleExpression {
    private static final Map<String, Integer> MONTHS =
        Map.ofEntries(
            Map.entry("JAN", 1),
            Map.entry("FEB", 2),
            Map.entry("MAR", 3),
            Map.entry("APR", 4),
            Map.entry("MAY", 5),
            Map.entry("JUN", 6),
            Map.entry("JUL", 7),
            Map.entry("AUG", 8),
            Map.entry("SEP", 9),
            Map.entry("OCT", 10),
            Map.entry("NOV", 11),
            Map.entry("DEC", 12));

    /** AWS cron numbers days of the week 1 (SUN) to 7 (SAT). */
    private static final Map<String, Integer> DAYS =
        Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5, "FRI", 6, "SAT", 7);

    private final ZoneId zone;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final boolean lastDayOfMonth;
    private final boolean anyDayOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfWeek;

    /** Day-of-week N with "#k" (k-th in the month) or "L" (last in the month); 0 when unused. */
    private final int nthWeekday;

    private final int nth;
    private final BitSet years;

    private Cron(
        ZoneId zone,
        BitSet minutes,
        BitSet hours,
        BitSet daysOfMonth,
        boolean lastDayOfMonth,
        boolean anyDayOfMonth,
        BitSet months,
        BitSet daysOfWeek,
        boolean anyDayOfWeek,
        int nthWeekday,
        int nth,
        BitSet years) {
      this.zone = zone;
      this.minutes = minutes;
      this.hours = hours;
      this.daysOfMonth = daysOfMonth;
      this.lastDayOfMonth = lastDayOfMonth;
      this.anyDayOfMonth = anyDayOfMonth;
      this.months = months;
      this.daysOfWeek = daysOfWeek;
      this.anyDayOfWeek = anyDayOfWeek;
      this.nthWeekday = nthWeekday;
      this.nth = nth;
      this.years = years;
    }

    static Cron parse(String body, ZoneId zone) {
      String[] f = body.strip().toUpperCase(Locale.ROOT).split("\\s+");
      if (f.length != 6) {
        throw new IllegalArgumentException(
            "cron(...) needs 6 fields (minutes hours day-of-month month day-of-week year), got "
                + f.length);
      }
      if (!f[2].equals("?") && !f[4].equals("?")) {
        throw new IllegalArgumentException(
            "cron(...): one of day-of-month and day-of-week must be ?");
      }
      BitSet minutes = field(f[0], 0, 59, Map.of(), "minutes");
      BitSet hours = field(f[1], 0, 23, Map.of(), "hours");
      boolean lastDay = f[2].equals("L");
      boolean anyDom = f[2].equals("?") || f[2].equals("*");
      BitSet dom =
          lastDay || f[2].equals("?") ? new BitSet() : field(f[2], 1, 31, Map.of(), "day-of-month");
      BitSet months = field(f[3], 1, 12, MONTHS, "month");
      boolean anyDow = f[4].equals("?") || f[4].equals("*");
      int nthWeekday = 0;
      int nth = 0;
      BitSet dow = new BitSet();
      if (f[4].matches("^[0-9A-Z]+#[1-5]$")) {
        String[] parts = f[4].split("#");
        nthWeekday = value(parts[0], 1, 7, DAYS, "day-of-week");
        nth = Integer.parseInt(parts[1]);
      } else if (f[4].matches("^[0-9A-Z]+L$")) {
        nthWeekday = value(f[4].substring(0, f[4].length() - 1), 1, 7, DAYS, "day-of-week");
        nth = -1;
      } else if (!f[4].equals("?")) {
        dow = field(f[4], 1, 7, DAYS, "day-of-week");
      }
      BitSet years = field(f[5], 1970, 2199, Map.of(), "year");
      return new Cron(
          zone,
          minutes,
          hours,
          dom,
          lastDay,
          anyDom,
          months,
          dow,
          anyDow && nth == 0,
          nthWeekday,
          nth,
          years);
    }

    @Override
    public boolean firesAt(Instant minute) {
      ZonedDateTime local = minute.atZone(zone);
      if (!minutes.get(local.getMinute())
          || !hours.get(local.getHour())
          || !months.get(local.getMonthValue())
          || !years.get(local.getYear())) {
        return false;
      }
      int day = local.getDayOfMonth();
      int length = YearMonth.from(local).lengthOfMonth();
      boolean domMatch = anyDayOfMonth || (lastDayOfMonth ? day == length : daysOfMonth.get(day));
      int awsDow =
          local.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : local.getDayOfWeek().getValue() + 1;
      boolean dowMatch;
      if (nth > 0) {
        dowMatch = awsDow == nthWeekday && (day - 1) / 7 + 1 == nth;
      } else if (nth < 0) {
        dowMatch = awsDow == nthWeekday && day + 7 > length;
      } else {
        dowMatch = anyDayOfWeek || daysOfWeek.get(awsDow);
      }
      return domMatch && dowMatch;
    }

    private static BitSet field(
        String text, int min, int max, Map<String, Integer> names, String what) {
      BitSet set = new BitSet();
      for (String part : text.split(",")) {
        if (part.contains("W")) {
          throw new IllegalArgumentException(
              "cron(...): W (nearest weekday) is not supported by the simulator");
        }
        int step = 1;
        String range = part;
        int slash = part.indexOf('/');
        if (slash >= 0) {
          step = Integer.parseInt(part.substring(slash + 1));
          range = part.substring(0, slash);
          if (step <= 0) {
            throw new IllegalArgumentException("cron(...): step must be positive in " + what);
          }
        }
        int from;
        int to;
        if (range.equals("*") || range.equals("?")) {
          from = min;
          to = max;
        } else if (range.contains("-")) {
          String[] bounds = range.split("-", 2);
          from = value(bounds[0], min, max, names, what);
          to = value(bounds[1], min, max, names, what);
        } else {
          from = value(range, min, max, names, what);
          to = slash >= 0 ? max : from;
        }
        if (from > to) {
          throw new IllegalArgumentException("cron(...): empty range " + range + " in " + what);
        }
        for (int v = from; v <= to; v += step) {
          set.set(v);
        }
      }
      return set;
    }

    private static int value(
        String text, int min, int max, Map<String, Integer> names, String what) {
      Integer named = names.get(text);
      int v;
      try {
        v = named != null ? named : Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("cron(...): " + text + " is not a valid " + what);
      }
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            "cron(...): " + what + " must be " + min + " to " + max + ", got " + v);
      }
      return v;
    }
  }
}
