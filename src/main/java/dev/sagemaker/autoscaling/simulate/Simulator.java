package dev.sagemaker.autoscaling.simulate;

import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.MetricSource;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import dev.sagemaker.autoscaling.plan.Suspension;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Replays a per-minute trace of total load through the AWS objects the planner produced for one
 * resource, minute by minute, as Application Auto Scaling and CloudWatch would act on them. Pure
 * and deterministic: the same plan, trace and settings give the same timeline. docs/simulate.md
 * states the model, its sources and where it departs from AWS; {@link #APPROXIMATIONS} repeats the
 * departures in every output.
 */
public final class Simulator {
  /** AWS-created target-tracking alarms: 1-minute periods, 3 of 3 above the target to scale out. */
  static final int HIGH_ALARM_DATAPOINTS = 3;

  /** ... and 15 of 15 below the scale-in threshold to scale in. */
  static final int LOW_ALARM_DATAPOINTS = 15;

  /** The scale-in alarm's threshold as a fraction of the target ("typically 10% or more lower"). */
  static final double LOW_ALARM_FRACTION = 0.9;

  public static final List<String> APPROXIMATIONS =
      List.of(
          "target tracking: AWS keeps its alarms' exact settings private; modelled as 1-minute"
              + " periods, scale out after 3 of 3 datapoints above the target, scale in after 15 of"
              + " 15 below 90% of it (as the alarms AWS creates show them)",
          "target tracking: new capacity = ceil(in-service capacity × metric / target) from the"
              + " newest datapoint; during a scale-out cooldown capacity still launching counts, so"
              + " a scale-out only happens above the current desired capacity",
          "per-instance metrics = trace total ÷ capacity in service that minute; custom metrics are"
              + " replayed as recorded",
          "alarms are evaluated when their period closes; missing data: 'missing' and 'ignore'"
              + " evaluate the datapoints present",
          "new capacity serves load after the provisioning delay; capacity removed stops serving at"
              + " once; instances are billed from launch",
          "an endpoint that is Updating still accepts scaling here; on AWS a scaling activity can"
              + " wait for the update to finish");

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private Simulator() {}

  /**
   * @param provisioningDelayMinutes minutes between a scale-out and the new capacity serving load
   * @param initialCapacity capacity at the first minute; empty starts at the minimum
   * @param pricePerCapacityHour for the cost in the summary; null leaves it out
   */
  public record Settings(
      int provisioningDelayMinutes, OptionalInt initialCapacity, Double pricePerCapacityHour) {
    public Settings {
      if (provisioningDelayMinutes < 0) {
        throw new IllegalArgumentException("the provisioning delay cannot be negative");
      }
    }
  }

  /** The rule text is built only for the proposal that acts: most minutes, none does. */
  private record Proposal(Policy policy, boolean out, int capacity, Supplier<String> rule) {}

  /** The proposal with the largest capacity (of equal ones, the first in policy order). */
  private static Proposal largest(List<Proposal> proposals) {
    return Collections.max(proposals, Comparator.comparingInt(Proposal::capacity));
  }

  private abstract static class Policy {
    final String name;

    Policy(String name) {
      this.name = name;
    }
  }

  private static final class Tracking extends Policy {
    final PolicyConfig.TargetTracking config;
    final AlarmModel high;
    final AlarmModel low;
    final int metricIndex;

    /**
     * Scale-out needs no clock: inside its cooldown it only acts above the desired capacity, as
     * outside.
     */
    final int inCooldown;

    int scaleInBlockedUntil = Integer.MIN_VALUE;

    Tracking(
        String name,
        PolicyConfig.TargetTracking config,
        AlarmModel high,
        AlarmModel low,
        int metricIndex) {
      super(name);
      this.config = config;
      this.high = high;
      this.low = low;
      this.metricIndex = metricIndex;
      this.inCooldown = cooldownMinutes(config.scaleInCooldown());
    }
  }

  private static final class Step extends Policy {
    final PolicyConfig.StepScaling config;
    final AlarmModel alarm;
    final int cooldown;
    int cooldownUntil = Integer.MIN_VALUE;
    boolean lastWasOut;
    int capacityBeforeScaleOut;

    Step(String name, PolicyConfig.StepScaling config, AlarmModel alarm) {
      super(name);
      this.config = config;
      this.alarm = alarm;
      this.cooldown = cooldownMinutes(config.cooldown());
    }
  }

  private record Schedule(
      String name,
      ScheduleExpression expression,
      Instant start,
      Instant end,
      Integer min,
      Integer max) {}

  public static SimulationResult run(DesiredState plan, Trace trace, Settings settings) {
    return new Run(plan, trace, settings).execute();
  }

  /** The mutable state of one replay. */
  private static final class Run {
    final DesiredState plan;
    final Trace trace;
    final Settings settings;
    final String prefix;
    final List<MetricReader> readers = new ArrayList<>();
    final List<Integer> readerColumns = new ArrayList<>();
    final List<AlarmModel> alarms = new ArrayList<>();
    final List<Integer> alarmReader = new ArrayList<>();
    final List<Tracking> tracking = new ArrayList<>();
    final List<Step> steps = new ArrayList<>();
    final List<Policy> policies = new ArrayList<>();
    final List<Schedule> schedules = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    /** Launches not yet in service: {ready minute, count}, oldest first. */
    final Deque<int[]> launching = new ArrayDeque<>();

    int desired;
    int inService;
    int min;
    int max;

    Run(DesiredState plan, Trace trace, Settings settings) {
      this.plan = plan;
      this.trace = trace;
      this.settings = settings;
      String owner = plan.tags().get(Owner.TAG_KEY);
      this.prefix = owner == null ? "" : "smsp_" + owner.replace('/', '_') + "_";
      build();
    }

    private void build() {
      if (trace.minutes() == 0) {
        throw new IllegalArgumentException("the trace has no minutes");
      }
      for (ScalingPolicy policy : plan.policies()) {
        String name = shortName(policy.name());
        if (policy.config() instanceof PolicyConfig.TargetTracking tt) {
          int reader = reader(MetricReader.of(tt.metric()));
          MetricReader metric = readers.get(reader);
          AlarmModel high =
              alarm(
                  name + " AlarmHigh",
                  reader,
                  tt.targetValue(),
                  AlarmModel.Comparison.GreaterThanThreshold,
                  60,
                  HIGH_ALARM_DATAPOINTS,
                  "missing",
                  "Average");
          AlarmModel low =
              alarm(
                  name + " AlarmLow",
                  reader,
                  tt.targetValue() * LOW_ALARM_FRACTION,
                  AlarmModel.Comparison.LessThanThreshold,
                  60,
                  LOW_ALARM_DATAPOINTS,
                  "missing",
                  "Average");
          Tracking t = new Tracking(name, tt, high, low, reader);
          tracking.add(t);
          policies.add(t);
          noteMetric(metric, name);
        } else if (policy.config() instanceof PolicyConfig.StepScaling step) {
          Alarm alarm =
              plan.alarms().stream()
                  .filter(a -> a.policyName().equals(policy.name()))
                  .findFirst()
                  .orElse(null);
          if (alarm == null) {
            notes.add(name + ": no alarm invokes this step policy, so it never acts");
            continue;
          }
          int reader = reader(MetricReader.of(alarm.metric()));
          AlarmModel model =
              alarm(
                  name,
                  reader,
                  alarm.threshold(),
                  AlarmModel.Comparison.valueOf(alarm.comparisonOperator()),
                  alarm.periodSeconds(),
                  alarm.evaluationPeriods(),
                  alarm.datapointsToAlarm(),
                  alarm.treatMissingData(),
                  statistic(alarm.metric()));
          Step s = new Step(name, step, model);
          steps.add(s);
          policies.add(s);
          noteMetric(readers.get(reader), name);
        }
      }
      for (ScheduledAction action : plan.scheduledActions()) {
        schedules.add(
            new Schedule(
                shortName(action.name()),
                ScheduleExpression.parse(
                    action.schedule(), action.timezone(), action.startTime(), trace.start()),
                action.startTime(),
                action.endTime(),
                action.minCapacity(),
                action.maxCapacity()));
      }
      min = plan.target().minCapacity();
      max = plan.target().maxCapacity();
      int initial = settings.initialCapacity().orElse(min);
      desired = Math.max(min, Math.min(max, initial));
      inService = desired;
      Suspension suspension = plan.target().suspension();
      if (suspension.scaleOut()) {
        notes.add("dynamic scale-out is suspended: policies never add capacity");
      }
      if (suspension.scaleIn()) {
        notes.add("dynamic scale-in is suspended: policies never remove capacity");
      }
      if (suspension.scheduled() && !schedules.isEmpty()) {
        notes.add("scheduled scaling is suspended: scheduled actions never fire");
      }
    }

    private int reader(MetricReader reader) {
      int index = readers.indexOf(reader);
      if (index >= 0) {
        return index;
      }
      readers.add(reader);
      readerColumns.add(trace.column(reader.column()));
      return readers.size() - 1;
    }

    private AlarmModel alarm(
        String name,
        int reader,
        double threshold,
        AlarmModel.Comparison comparison,
        int period,
        int datapoints,
        String missing,
        String statistic) {
      return alarm(
          name, reader, threshold, comparison, period, datapoints, datapoints, missing, statistic);
    }

    private AlarmModel alarm(
        String name,
        int reader,
        double threshold,
        AlarmModel.Comparison comparison,
        int period,
        int evaluations,
        int datapoints,
        String missing,
        String statistic) {
      AlarmModel model =
          new AlarmModel(
              name,
              readers.get(reader),
              readerColumns.get(reader),
              threshold,
              comparison,
              period,
              evaluations,
              datapoints,
              missing,
              statistic);
      alarms.add(model);
      alarmReader.add(reader);
      return model;
    }

    private void noteMetric(MetricReader metric, String policy) {
      String note =
          switch (metric.kind()) {
            case UNSUPPORTED ->
                policy
                    + ": the simulator cannot derive "
                    + metric.label()
                    + "; the policy never acts";
            case AS_RECORDED ->
                trace.column(metric.column()) < 0
                    ? null
                    : policy
                        + ": custom metric "
                        + metric.label()
                        + " is replayed as recorded (it does not fall as capacity is added)";
            default -> null;
          };
      if (note == null
          && metric.kind() != MetricReader.Kind.UNSUPPORTED
          && trace.column(metric.column()) < 0) {
        note =
            policy
                + ": the trace has no column "
                + metric.column()
                + ", so "
                + metric.label()
                + " has no data and the policy never acts (and, for target tracking, never agrees"
                + " to scale in)";
      }
      if (note != null && !notes.contains(note)) {
        notes.add(note);
      }
    }

    private String shortName(String awsName) {
      return awsName.startsWith(prefix) ? awsName.substring(prefix.length()) : awsName;
    }

    SimulationResult execute() {
      int minutes = trace.minutes();
      double[][] metricValues = new double[readers.size()][minutes];
      int[] desiredAt = new int[minutes];
      int[] inServiceAt = new int[minutes];
      int[] minAt = new int[minutes];
      int[] maxAt = new int[minutes];
      String[] action = new String[minutes];
      String[] reason = new String[minutes];
      int scalingActions = 0;
      int scaleOuts = 0;
      int scaleIns = 0;
      int scheduledFired = 0;
      for (int t = 0; t < minutes; t++) {
        Instant now = trace.time(t);
        while (!launching.isEmpty() && launching.peekFirst()[0] <= t) {
          inService += launching.pollFirst()[1];
        }
        StringBuilder done = new StringBuilder();
        if (!plan.target().suspension().scheduled()) {
          for (Schedule schedule : schedules) {
            if (fires(schedule, now)) {
              scheduledFired++;
              String changed = applySchedule(schedule, t);
              append(done, changed);
            }
          }
        }
        int servingNow = inService;
        for (int r = 0; r < readers.size(); r++) {
          metricValues[r][t] = readers.get(r).read(trace, readerColumns.get(r), t, servingNow);
        }
        for (int a = 0; a < alarms.size(); a++) {
          alarms.get(a).observe(t, metricValues[alarmReader.get(a)][t]);
        }
        StringBuilder why = new StringBuilder();
        int before = desired;
        String acted = decide(t, why);
        if (acted != null) {
          append(done, acted);
          scalingActions++;
          if (desired > before) {
            scaleOuts++;
          } else {
            scaleIns++;
          }
        }
        desiredAt[t] = desired;
        inServiceAt[t] = servingNow;
        minAt[t] = min;
        maxAt[t] = max;
        action[t] = done.length() == 0 ? null : done.toString();
        reason[t] =
            done.length() == 0 ? (why.length() == 0 ? quietReason() : why.toString()) : null;
      }
      String loadColumn = trace.columns().get(0);
      Summary summary =
          summarize(
              metricValues,
              desiredAt,
              inServiceAt,
              maxAt,
              loadColumn,
              scalingActions,
              scaleOuts,
              scaleIns,
              scheduledFired);
      List<String> labels = readers.stream().map(MetricReader::label).toList();
      String resource = plan.target().key().resourceId();
      return new SimulationResult(
          resource,
          trace,
          loadColumn,
          labels,
          metricValues,
          desiredAt,
          inServiceAt,
          minAt,
          maxAt,
          action,
          reason,
          List.copyOf(notes),
          summary);
    }

    private boolean fires(Schedule schedule, Instant now) {
      if (schedule.start() != null && now.isBefore(schedule.start())) {
        return false;
      }
      if (schedule.end() != null && now.isAfter(schedule.end())) {
        return false;
      }
      return schedule.expression().firesAt(now);
    }

    /** A scheduled action sets min and max; capacity outside the new range moves to it. */
    private String applySchedule(Schedule schedule, int t) {
      if (schedule.min() != null) {
        min = schedule.min();
      }
      if (schedule.max() != null) {
        max = schedule.max();
      }
      StringBuilder s =
          new StringBuilder("schedule " + schedule.name() + ": min " + min + ", max " + max);
      if (desired < min) {
        s.append(", capacity ").append(desired).append(" -> ").append(min);
        scaleTo(min, t);
      } else if (desired > max) {
        s.append(", capacity ").append(desired).append(" -> ").append(max);
        scaleTo(max, t);
      }
      return s.toString();
    }

    private void scaleTo(int capacity, int t) {
      if (capacity > desired) {
        int added = capacity - desired;
        if (settings.provisioningDelayMinutes() == 0) {
          inService += added;
        } else {
          launching.addLast(new int[] {t + settings.provisioningDelayMinutes(), added});
        }
      } else {
        int removed = desired - capacity;
        while (removed > 0 && !launching.isEmpty()) {
          int[] newest = launching.peekLast();
          int cancel = Math.min(removed, newest[1]);
          newest[1] -= cancel;
          removed -= cancel;
          if (newest[1] == 0) {
            launching.pollLast();
          }
        }
        inService -= removed;
      }
      desired = capacity;
    }

    /**
     * Collects what every policy asks for this minute and applies the winner, as AWS combines
     * policies.
     */
    private String decide(int t, StringBuilder why) {
      List<Proposal> outs = new ArrayList<>();
      List<Proposal> trackingIns = new ArrayList<>();
      List<Proposal> stepIns = new ArrayList<>();
      boolean trackingAgrees = false;
      boolean anyTrackingCanScaleIn = false;
      for (Tracking p : tracking) {
        if (!p.config.disableScaleIn()) {
          anyTrackingCanScaleIn = true;
        }
      }
      if (anyTrackingCanScaleIn) {
        trackingAgrees = true;
      }
      for (Tracking p : tracking) {
        Proposal proposal = propose(p, t, why);
        if (proposal != null && proposal.out()) {
          outs.add(proposal);
        } else if (proposal != null) {
          trackingIns.add(proposal);
        }
        if (!p.config.disableScaleIn() && (proposal == null || proposal.out())) {
          trackingAgrees = false;
        }
      }
      for (Step p : steps) {
        Proposal proposal = propose(p, t, why);
        if (proposal != null && proposal.out()) {
          outs.add(proposal);
        } else if (proposal != null) {
          stepIns.add(proposal);
        }
      }
      Suspension suspension = plan.target().suspension();
      if (!outs.isEmpty()) {
        Proposal winner = largest(outs);
        if (suspension.scaleOut()) {
          append(
              why,
              winner.policy().name
                  + " would scale out to "
                  + winner.capacity()
                  + ", but scale-out is suspended");
          return null;
        }
        int target = Math.min(winner.capacity(), max);
        if (target <= desired) {
          append(
              why,
              winner.policy().name
                  + " would scale out to "
                  + winner.capacity()
                  + ", but the maximum is "
                  + max);
          return null;
        }
        int before = desired;
        scaleTo(target, t);
        startScaleOutCooldown(winner.policy(), t, before);
        return winner.policy().name
            + ": "
            + winner.rule().get()
            + "; capacity "
            + before
            + " -> "
            + target
            + (target < winner.capacity() ? " (maximum)" : "");
      }
      List<Proposal> ins = new ArrayList<>(stepIns);
      Proposal trackingIn = null;
      if (trackingAgrees) {
        trackingIn = largest(trackingIns);
        ins.add(trackingIn);
      }
      if (anyTrackingCanScaleIn
          && !trackingAgrees
          && (!trackingIns.isEmpty() || !stepIns.isEmpty())) {
        // Scale-in needs every policy: a target-tracking policy that is not ready to scale in holds
        // capacity.
        append(why, "scale-in waits until every target-tracking policy is ready to scale in");
        return null;
      }
      if (ins.isEmpty()) {
        return null;
      }
      Proposal winner = largest(ins);
      if (suspension.scaleIn()) {
        append(
            why,
            winner.policy().name
                + " would scale in to "
                + winner.capacity()
                + ", but scale-in is suspended");
        return null;
      }
      int target = Math.max(winner.capacity(), min);
      if (target >= desired) {
        append(
            why,
            winner.policy().name
                + " would scale in to "
                + winner.capacity()
                + ", but the minimum is "
                + min);
        return null;
      }
      int before = desired;
      scaleTo(target, t);
      if (winner == trackingIn) {
        for (Tracking p : tracking) {
          p.scaleInBlockedUntil = t + p.inCooldown;
        }
      } else if (winner.policy() instanceof Step s) {
        s.cooldownUntil = t + s.cooldown;
        s.lastWasOut = false;
      }
      return winner.policy().name
          + ": "
          + winner.rule().get()
          + "; capacity "
          + before
          + " -> "
          + target
          + (target > winner.capacity() ? " (minimum)" : "");
    }

    /**
     * A scale-out starts the winner's cooldown and ends every scale-in cooldown (AWS: scale-out
     * interrupts it).
     */
    private void startScaleOutCooldown(Policy winner, int t, int before) {
      for (Tracking p : tracking) {
        p.scaleInBlockedUntil = Math.min(p.scaleInBlockedUntil, t);
      }
      for (Step s : steps) {
        if (!s.lastWasOut) {
          s.cooldownUntil = Math.min(s.cooldownUntil, t);
        }
      }
      if (winner instanceof Step s) {
        if (!(s.lastWasOut && t < s.cooldownUntil)) {
          s.capacityBeforeScaleOut = before;
        }
        s.cooldownUntil = t + s.cooldown;
        s.lastWasOut = true;
      }
    }

    private Proposal propose(Tracking p, int t, StringBuilder why) {
      String metric = p.high.metric.label();
      if (p.high.state() == AlarmModel.State.ALARM) {
        double value = p.high.latest();
        if (Double.isNaN(value) || servingCapacity() == 0) {
          return null;
        }
        int needed = ceil(servingCapacity() * value / p.config.targetValue());
        if (needed > desired) {
          int serving = servingCapacity();
          return new Proposal(
              p,
              true,
              needed,
              () ->
                  String.format(
                      Locale.ROOT,
                      "%s %s > %s for %d min, ceil(%d × %s / %s) = %d",
                      metric,
                      Numbers.format(value),
                      Numbers.format(p.config.targetValue()),
                      HIGH_ALARM_DATAPOINTS,
                      serving,
                      Numbers.format(value),
                      Numbers.format(p.config.targetValue()),
                      needed));
        }
        append(
            why,
            p.name
                + ": above target, capacity launching already covers it ("
                + needed
                + " needed, "
                + desired
                + " desired)");
        return null;
      }
      if (p.low.state() == AlarmModel.State.ALARM && !p.config.disableScaleIn()) {
        double value = p.low.latest();
        if (Double.isNaN(value)) {
          return null;
        }
        int needed = ceil(servingCapacity() * value / p.config.targetValue());
        if (needed >= desired) {
          return null;
        }
        if (t < p.scaleInBlockedUntil) {
          append(
              why,
              p.name
                  + ": scale-in cooldown until "
                  + CLOCK.format(trace.time(p.scaleInBlockedUntil)));
          return null;
        }
        int serving = servingCapacity();
        return new Proposal(
            p,
            false,
            needed,
            () ->
                String.format(
                    Locale.ROOT,
                    "%s %s < %s for %d min, ceil(%d × %s / %s) = %d",
                    metric,
                    Numbers.format(value),
                    Numbers.format(p.low.threshold),
                    LOW_ALARM_DATAPOINTS,
                    serving,
                    Numbers.format(value),
                    Numbers.format(p.config.targetValue()),
                    needed));
      }
      return null;
    }

    private Proposal propose(Step p, int t, StringBuilder why) {
      if (p.alarm.state() != AlarmModel.State.ALARM) {
        return null;
      }
      double value = p.alarm.aggregate(p.config.metricAggregationType());
      if (Double.isNaN(value)) {
        return null;
      }
      PolicyConfig.StepAdjustment step =
          StepMath.find(
              p.config.adjustments(), value - p.alarm.threshold, p.alarm.comparison.upward());
      if (step == null) {
        append(why, p.name + ": no step covers " + Numbers.format(value));
        return null;
      }
      boolean inCooldown = t < p.cooldownUntil;
      int base = inCooldown && p.lastWasOut ? p.capacityBeforeScaleOut : desired;
      int capacity =
          StepMath.apply(
              p.config.adjustmentType(),
              base,
              step.scalingAdjustment(),
              p.config.minAdjustmentMagnitude());
      if (capacity == desired) {
        if (inCooldown && p.lastWasOut && step.scalingAdjustment() > 0) {
          append(why, p.name + ": in cooldown, the last scale-out already added this step");
        }
        return null;
      }
      Supplier<String> rule =
          () ->
              String.format(
                  Locale.ROOT,
                  "alarm %s (%s), step %s",
                  p.alarm.describe(),
                  Numbers.format(value),
                  StepMath.describe(p.config.adjustmentType(), step.scalingAdjustment()));
      if (capacity > desired) {
        return new Proposal(p, true, capacity, rule);
      }
      if (inCooldown) {
        append(why, p.name + ": cooldown until " + CLOCK.format(trace.time(p.cooldownUntil)));
        return null;
      }
      return new Proposal(p, false, capacity, rule);
    }

    /** The capacity whose load the metrics measured this minute. */
    private int servingCapacity() {
      return inService;
    }

    private String quietReason() {
      for (Tracking p : tracking) {
        if (p.high.state() == AlarmModel.State.INSUFFICIENT_DATA && servingCapacity() == 0) {
          return "no capacity in service: target tracking has no data";
        }
      }
      return "no alarm in ALARM";
    }

    private Summary summarize(
        double[][] metricValues,
        int[] desiredAt,
        int[] inServiceAt,
        int[] maxAt,
        String loadColumn,
        int scalingActions,
        int scaleOuts,
        int scaleIns,
        int scheduledFired) {
      int minutes = desiredAt.length;
      long capacityMinutes = 0;
      int atMax = 0;
      int withoutCapacity = 0;
      int peak = 0;
      int load = trace.column(loadColumn);
      for (int t = 0; t < minutes; t++) {
        capacityMinutes += desiredAt[t];
        peak = Math.max(peak, desiredAt[t]);
        if (desiredAt[t] == maxAt[t]) {
          atMax++;
        }
        if (inServiceAt[t] == 0 && load >= 0 && trace.value(load, t) > 0) {
          withoutCapacity++;
        }
      }
      Map<String, Double> peakMetric = new LinkedHashMap<>();
      for (int r = 0; r < readers.size(); r++) {
        if (readers.get(r).kind() != MetricReader.Kind.PER_CAPACITY) {
          continue;
        }
        double best = Double.NaN;
        for (double v : metricValues[r]) {
          if (!Double.isNaN(v) && (Double.isNaN(best) || v > best)) {
            best = v;
          }
        }
        if (!Double.isNaN(best)) {
          peakMetric.put(readers.get(r).label(), best);
        }
      }
      Map<String, Integer> above = new LinkedHashMap<>();
      for (Tracking p : tracking) {
        int count = 0;
        for (double v : metricValues[p.metricIndex]) {
          if (v > p.config.targetValue()) {
            count++;
          }
        }
        above.put(p.name, count);
      }
      double hours = capacityMinutes / 60.0;
      Double cost =
          settings.pricePerCapacityHour() == null ? null : hours * settings.pricePerCapacityHour();
      return new Summary(
          trace.start(),
          minutes,
          unit(plan.target().key()),
          hours,
          cost,
          peakMetric,
          above,
          scalingActions,
          scaleOuts,
          scaleIns,
          scheduledFired,
          atMax,
          withoutCapacity,
          peak);
    }
  }

  static String unit(TargetKey key) {
    return switch (key.scalableDimension()) {
      case TargetKey.COMPONENT_COPIES -> "copy";
      case TargetKey.VARIANT_PROVISIONED_CONCURRENCY -> "provisioned-concurrency";
      default -> "instance";
    };
  }

  private static String statistic(MetricSource source) {
    if (source instanceof MetricSource.CloudWatch cw) {
      return cw.statistic();
    }
    return "Average";
  }

  /**
   * A cooldown left out of the request is AWS's default, 300 s (PutScalingPolicy API reference:
   * TargetTrackingScalingPolicyConfiguration and StepScalingPolicyConfiguration, Cooldown).
   */
  private static final int AWS_DEFAULT_COOLDOWN_SECONDS = 300;

  private static int cooldownMinutes(Integer cooldownSeconds) {
    int seconds = cooldownSeconds == null ? AWS_DEFAULT_COOLDOWN_SECONDS : cooldownSeconds;
    return (seconds + 59) / 60;
  }

  /** ceil that ignores floating-point dust: 3 × 1000 / 1000 is 3, not 4. */
  static int ceil(double value) {
    return (int) Math.ceil(value - 1e-9);
  }

  private static void append(StringBuilder s, String text) {
    if (text == null) {
      return;
    }
    if (s.length() > 0) {
      s.append("; ");
    }
    s.append(text);
  }
}
