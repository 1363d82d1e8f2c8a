package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.AlarmStateStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingActivityStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingStatus;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.ObservedState.PolicyAlarm;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import dev.sagemaker.autoscaling.plan.ScalingActivity.NotScaledReason;
import dev.sagemaker.autoscaling.reconcile.ScalingObservation.NamedAlarmState;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The answer to "why did it (not) scale?": folds what a pass saw (capacities, alarm states, the
 * latest activities) into the previous answer. Pure; every time it writes comes from AWS or from
 * the previous status, so a quiet resync rewrites nothing.
 */
public final class ScalingStory {
  static final String AT_MAX = "AtMax";
  static final String AT_MIN = "AtMin";
  static final String ALARM = "Alarm";
  static final String NO_DATA = "NoData";
  static final String STEADY = "Steady";
  static final String HELD_AT_MAX_EPISODE = "HeldAtMax@";
  static final String NO_DATA_EPISODE = "NoData ";

  /** "Setting desired instance count to 3." and its kin name the capacity aimed at last. */
  private static final Pattern TARGET_CAPACITY = Pattern.compile("to (\\d+)\\D*$");

  /** How long a state lasts before a Warning Event reports it. */
  public record Thresholds(Duration heldAtMax, Duration alarmWithoutData) {
    public static Thresholds defaults() {
      return new Thresholds(Duration.ofMinutes(15), Duration.ofMinutes(15));
    }
  }

  private ScalingStory() {}

  /**
   * The new scaling status; the previous one unchanged when the pass saw nothing of scaling.
   *
   * @param boundsSetBy the scheduled action whose bounds are in force, or null
   */
  static ScalingStatus next(
      ScalingStatus previous,
      ScalingObservation seen,
      String boundsSetBy,
      Instant now,
      Thresholds thresholds) {
    if (!seen.seen()) {
      return previous;
    }
    String alarmPrefix = seen.alarmPrefix();
    ScalingStatus prev = previous == null ? new ScalingStatus() : previous;
    ScalingStatus next = new ScalingStatus();
    next.setCurrentCapacity(seen.currentCapacity());
    next.setDesiredCapacity(seen.desiredCapacity());
    next.setMinCapacity(seen.minCapacity());
    next.setMaxCapacity(seen.maxCapacity());
    next.setBoundsSetBy(boundsSetBy);
    next.setAlarms(seen.alarms().stream().map(ScalingStory::alarmStatus).toList());
    List<ScalingActivity> read = newestFirst(seen.activities().orElse(List.of()));
    next.setLatestActivity(
        newer(
            prev.getLatestActivity(),
            read.stream().filter(a -> !a.notScaled()).findFirst().map(ScalingStory::status)));
    next.setLatestNotScaled(
        newer(
            prev.getLatestNotScaled(),
            read.stream()
                .filter(ScalingActivity::notScaled)
                .findFirst()
                .map(ScalingStory::status)));
    next.setHeldAtMaxSince(heldAtMaxSince(prev, next, seen, read));
    summarize(prev, next, alarmPrefix, now);
    next.setReportedEpisodes(dueEpisodes(next, alarmPrefix, now, thresholds));
    return next;
  }

  /**
   * Whether this pass should read the target's activities (one call): when capacity, bounds or an
   * alarm's state differ from what the last status recorded, or nothing is recorded yet; and while
   * an alarm fires with no activity recorded since it started (AWS records the scaling, or the
   * refusal, a moment after the alarm changes state). A quiet resync reads none.
   */
  static boolean activitiesWorthReading(ScalingStatus previous, ScalingObservation seen) {
    if (previous == null || previous.getCurrentCapacity() == null) {
      return true;
    }
    return !Objects.equals(previous.getCurrentCapacity(), seen.currentCapacity())
        || !Objects.equals(previous.getDesiredCapacity(), seen.desiredCapacity())
        || !Objects.equals(seen.currentCapacity(), seen.desiredCapacity())
        || !Objects.equals(previous.getMinCapacity(), seen.minCapacity())
        || !Objects.equals(previous.getMaxCapacity(), seen.maxCapacity())
        || !previous
            .getAlarms()
            .equals(seen.alarms().stream().map(ScalingStory::alarmStatus).toList())
        || firingWithoutActivity(previous);
  }

  private static boolean firingWithoutActivity(ScalingStatus previous) {
    Instant lastActivity =
        Stream.of(previous.getLatestActivity(), previous.getLatestNotScaled())
            .filter(Objects::nonNull)
            .map(ScalingActivityStatus::getStartTime)
            .flatMap(t -> instant(t).stream())
            .max(Comparator.naturalOrder())
            .orElse(Instant.MIN);
    return previous.getAlarms().stream()
        .filter(a -> AlarmState.ALARM.equals(a.getState()) && !scaleInTracking(a))
        .anyMatch(a -> instant(a.getSince()).filter(lastActivity::isBefore).isPresent());
  }

  /**
   * The activities read that the last status had not seen yet, oldest first; before any status,
   * those since the resource was created.
   */
  static List<ScalingActivity> newActivities(
      ScalingStatus previous, List<ScalingActivity> read, Instant createdAt) {
    Optional<ScalingStatus> prev = Optional.ofNullable(previous);
    Instant scaledAfter =
        prev.map(ScalingStatus::getLatestActivity)
            .map(ScalingActivityStatus::getStartTime)
            .flatMap(ScalingStory::instant)
            .orElse(createdAt);
    Instant notScaledAfter =
        prev.map(ScalingStatus::getLatestNotScaled)
            .map(ScalingActivityStatus::getStartTime)
            .flatMap(ScalingStory::instant)
            .orElse(createdAt);
    List<ScalingActivity> fresh = new ArrayList<>();
    for (ScalingActivity a : read) {
      Instant after = a.notScaled() ? notScaledAfter : scaledAfter;
      if (a.startTime() != null && (after == null || a.startTime().isAfter(after))) {
        fresh.add(a);
      }
    }
    fresh.sort(Comparator.comparing(ScalingActivity::startTime));
    return fresh;
  }

  /** The not-scaled reason of an activity, the first AWS gives. */
  static Optional<String> notScaledReason(ScalingActivity a) {
    return a.notScaledReasons().stream().map(NotScaledReason::code).findFirst();
  }

  /** How long the target has been held at max, zero when it is not. */
  static Duration heldAtMaxFor(ScalingStatus status, Instant now) {
    return heldAtMaxFor(status == null ? null : status.getHeldAtMaxSince(), now);
  }

  /** As {@link #heldAtMaxFor(ScalingStatus, Instant)}, from the status's heldAtMaxSince. */
  static Duration heldAtMaxFor(String heldAtMaxSince, Instant now) {
    return Optional.ofNullable(heldAtMaxSince)
        .flatMap(ScalingStory::instant)
        .map(since -> since.isAfter(now) ? Duration.ZERO : Duration.between(since, now))
        .orElse(Duration.ZERO);
  }

  /** The alarm's name without the resource's prefix: the policy item and its side. */
  static String shortAlarmName(String name, String alarmPrefix) {
    return alarmPrefix != null
            && name.startsWith(alarmPrefix)
            && name.length() > alarmPrefix.length()
        ? name.substring(alarmPrefix.length())
        : name;
  }

  /**
   * The alarm as the summary and the episodes name it: a step alarm without the resource's prefix
   * (the policy item and its side), an alarm AWS created for a target-tracking policy by the policy
   * item and AWS's word for its side ({@code cpu_AlarmHigh}), not by its generated name.
   */
  static String shortName(AlarmStateStatus a, String alarmPrefix) {
    if (a.getTargetTrackingPolicy() != null) {
      return shortAlarmName(a.getTargetTrackingPolicy(), alarmPrefix)
          + (PolicyAlarm.lowSide(a.getName()) ? "_AlarmLow" : "_AlarmHigh");
    }
    return shortAlarmName(a.getName(), alarmPrefix);
  }

  /**
   * A target-tracking policy's scale-in alarm: in ALARM whenever load sits below the target, which
   * at low load is its normal state, so its ALARM is neither the headline nor pressure to scale.
   */
  static boolean scaleInTracking(AlarmStateStatus a) {
    return a.getTargetTrackingPolicy() != null && PolicyAlarm.lowSide(a.getName());
  }

  /**
   * Held at max: at maxCapacity, the latest not-scaled activity says AlreadyAtMaxCapacity and is
   * newer than the latest scaling, and no alarm of ours that we can see has stopped asking for more
   * (all OK means the pressure is gone). The episode keeps the time it started.
   */
  private static String heldAtMaxSince(
      ScalingStatus prev, ScalingStatus next, ScalingObservation seen, List<ScalingActivity> read) {
    boolean atMax =
        seen.currentCapacity() != null
            && seen.maxCapacity() != null
            && seen.currentCapacity() >= seen.maxCapacity();
    ScalingActivityStatus blocked = next.getLatestNotScaled();
    boolean blockedAtMax =
        blocked != null
            && NotScaledReason.AT_MAX.equals(blocked.getNotScaledReason())
            && isAfter(blocked.getStartTime(), next.getLatestActivity());
    boolean pressure =
        seen.alarms().stream().noneMatch(a -> a.state() != null)
            || seen.alarms().stream()
                .anyMatch(a -> a.state() != null && a.state().inAlarm() && !a.scaleInTracking());
    if (!atMax || !blockedAtMax || !pressure) {
      return null;
    }
    if (prev.getHeldAtMaxSince() != null) {
      return prev.getHeldAtMaxSince();
    }
    Instant lastScaled =
        Optional.ofNullable(next.getLatestActivity())
            .map(ScalingActivityStatus::getStartTime)
            .flatMap(ScalingStory::instant)
            .orElse(Instant.MIN);
    return read.stream()
        .filter(a -> notScaledReason(a).filter(NotScaledReason.AT_MAX::equals).isPresent())
        .map(ScalingActivity::startTime)
        .filter(t -> t != null && t.isAfter(lastScaled))
        .min(Comparator.naturalOrder())
        .map(Instant::toString)
        .orElse(blocked.getStartTime());
  }

  private static void summarize(
      ScalingStatus prev, ScalingStatus next, String alarmPrefix, Instant now) {
    Optional<AlarmStateStatus> firing = firstIn(next, AlarmState.ALARM);
    Optional<AlarmStateStatus> noData = firstIn(next, AlarmState.INSUFFICIENT_DATA);
    ScalingActivityStatus latest = next.getLatestActivity();
    ScalingActivityStatus blocked = next.getLatestNotScaled();
    Integer current = next.getCurrentCapacity();
    Integer desired = next.getDesiredCapacity();
    String summary;
    String since;
    if (next.getHeldAtMaxSince() != null) {
      summary = AT_MAX;
      since = next.getHeldAtMaxSince();
    } else if (firing.isPresent()) {
      summary = ALARM + " " + shortName(firing.get(), alarmPrefix);
      since = firing.get().getSince();
    } else if (noData.isPresent()) {
      summary = NO_DATA + " " + shortName(noData.get(), alarmPrefix);
      since = noData.get().getSince();
    } else if (current != null && desired != null && !current.equals(desired)) {
      summary = desired > current ? "ScalingOut" : "ScalingIn";
      since = latest == null ? null : latest.getStartTime();
    } else if (blocked != null
        && NotScaledReason.AT_MIN.equals(blocked.getNotScaledReason())
        && isAfter(blocked.getStartTime(), latest)
        && current != null
        && next.getMinCapacity() != null
        && current <= next.getMinCapacity()) {
      summary = AT_MIN;
      since = blocked.getStartTime();
    } else if (latest != null) {
      summary = scaledWord(prev, latest);
      since = latest.getStartTime();
    } else {
      summary = STEADY;
      since = null;
    }
    if (since == null) {
      // No AWS time to go by: keep the time this summary was first written.
      since =
          summary.equals(prev.getSummary()) && prev.getSince() != null
              ? prev.getSince()
              : now.toString();
    }
    next.setSummary(summary);
    next.setSince(since);
  }

  /**
   * ScaledOut or ScaledIn by the capacity the activity aimed at against the capacity recorded
   * before it; Scaled when either is unknown. An activity already summarized keeps its word.
   */
  private static String scaledWord(ScalingStatus prev, ScalingActivityStatus latest) {
    if (prev.getLatestActivity() != null
        && Objects.equals(prev.getLatestActivity().getStartTime(), latest.getStartTime())
        && prev.getSummary() != null
        && prev.getSummary().startsWith("Scaled")) {
      return prev.getSummary();
    }
    Integer before = prev.getCurrentCapacity();
    Matcher m =
        TARGET_CAPACITY.matcher(latest.getDescription() == null ? "" : latest.getDescription());
    if (before == null || !m.find()) {
      return "Scaled";
    }
    int aimed = Integer.parseInt(m.group(1));
    return aimed > before ? "ScaledOut" : aimed < before ? "ScaledIn" : "Scaled";
  }

  private static List<String> dueEpisodes(
      ScalingStatus next, String alarmPrefix, Instant now, Thresholds thresholds) {
    List<String> due = new ArrayList<>();
    if (heldAtMaxFor(next, now).compareTo(thresholds.heldAtMax()) >= 0
        && next.getHeldAtMaxSince() != null) {
      due.add(HELD_AT_MAX_EPISODE + next.getHeldAtMaxSince());
    }
    // Only our step alarms: an alarm AWS created for a target-tracking policy has AWS's period,
    // which
    // no spec change can fix, and it may sit without data whenever the endpoint has no traffic
    // (SageMaker publishes invocation metrics per request). Its state still shows in the status.
    for (AlarmStateStatus a : next.getAlarms()) {
      if (a.getTargetTrackingPolicy() == null
          && AlarmState.INSUFFICIENT_DATA.equals(a.getState())
          && instant(a.getSince())
              .filter(s -> !s.plus(thresholds.alarmWithoutData()).isAfter(now))
              .isPresent()) {
        due.add(NO_DATA_EPISODE + shortName(a, alarmPrefix) + "@" + a.getSince());
      }
    }
    return due;
  }

  /** The alarm longest in the state; a target-tracking scale-in alarm does not count as firing. */
  private static Optional<AlarmStateStatus> firstIn(ScalingStatus status, String state) {
    return status.getAlarms().stream()
        .filter(a -> state.equals(a.getState()))
        .filter(a -> !(AlarmState.ALARM.equals(state) && scaleInTracking(a)))
        .min(Comparator.comparing(a -> instant(a.getSince()).orElse(Instant.MAX)));
  }

  private static AlarmStateStatus alarmStatus(NamedAlarmState a) {
    AlarmState s = a.state();
    return s == null
        ? new AlarmStateStatus(a.name(), null, null, null, a.trackingPolicy())
        : new AlarmStateStatus(
            a.name(),
            s.value(),
            s.reason(),
            s.since() == null ? null : s.since().toString(),
            a.trackingPolicy());
  }

  static ScalingActivityStatus status(ScalingActivity a) {
    return new ScalingActivityStatus(
        a.activityId(),
        a.startTime() == null ? null : a.startTime().toString(),
        a.statusCode(),
        a.description(),
        a.cause(),
        notScaledReason(a).orElse(null));
  }

  private static List<ScalingActivity> newestFirst(List<ScalingActivity> read) {
    return read.stream()
        .filter(a -> a.startTime() != null)
        .sorted(Comparator.comparing(ScalingActivity::startTime).reversed())
        .toList();
  }

  private static ScalingActivityStatus newer(
      ScalingActivityStatus kept, Optional<ScalingActivityStatus> read) {
    if (read.isEmpty()) {
      return kept;
    }
    return kept == null || isAfter(read.get().getStartTime(), kept) ? read.get() : kept;
  }

  /** {@code time} is later than the activity's start (or there is no such activity). */
  private static boolean isAfter(String time, ScalingActivityStatus activity) {
    if (activity == null) {
      return true;
    }
    Optional<Instant> t = instant(time);
    Optional<Instant> other = instant(activity.getStartTime());
    return t.isPresent() && (other.isEmpty() || t.get().isAfter(other.get()));
  }

  static Optional<Instant> instant(String rfc3339) {
    if (rfc3339 == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(rfc3339));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
