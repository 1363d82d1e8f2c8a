package dev.sagemaker.autoscaling.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagemaker.autoscaling.api.v1alpha1.AdjustmentType;
import dev.sagemaker.autoscaling.api.v1alpha1.AlarmSettings;
import dev.sagemaker.autoscaling.api.v1alpha1.CapacityUnit;
import dev.sagemaker.autoscaling.api.v1alpha1.CustomMetric;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricAggregation;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricDimension;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricKind;
import dev.sagemaker.autoscaling.api.v1alpha1.MetricQuery;
import dev.sagemaker.autoscaling.api.v1alpha1.ModelType;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicySpec;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingTarget;
import dev.sagemaker.autoscaling.api.v1alpha1.ScheduleSpec;
import dev.sagemaker.autoscaling.api.v1alpha1.StandardUnit;
import dev.sagemaker.autoscaling.api.v1alpha1.Statistic;
import dev.sagemaker.autoscaling.api.v1alpha1.StepBand;
import dev.sagemaker.autoscaling.api.v1alpha1.StepScalingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.SuspendSpec;
import dev.sagemaker.autoscaling.api.v1alpha1.TargetTrackingPolicy;
import dev.sagemaker.autoscaling.api.v1alpha1.TreatMissingData;
import dev.sagemaker.autoscaling.plan.Change;
import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.Differ;
import dev.sagemaker.autoscaling.plan.MetricSource;
import dev.sagemaker.autoscaling.plan.ObservedState;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.Plan;
import dev.sagemaker.autoscaling.plan.Planner;
import dev.sagemaker.autoscaling.plan.PolicyConfig;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScalingPolicyRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScheduledActionRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.RegisterScalableTargetRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;

/**
 * Every desired state the planner can produce survives domain → SDK request → the description AWS
 * gives back → domain unchanged, so a resync of a converged resource writes nothing.
 */
class AwsMappingProperties {
  private static final Owner OWNER = new Owner("prod", "ml", "recommender");

  /**
   * Known to the instance-type table with both vCPUs and GPUs, so per-core and per-GPU metrics
   * plan.
   */
  private static final Optional<String> INSTANCE_TYPE = Optional.of("ml.g4dn.12xlarge");

  @Property(tries = 200)
  void whatIsPutReadsBackEqualAndNeedsNoWrite(@ForAll("plans") DesiredState desired) {
    Statistics.label("policies").collect(desired.policies().size());
    Statistics.label("alarms").collect(desired.alarms().size());
    Statistics.label("metric math")
        .collect(
            desired.policies().stream()
                    .anyMatch(
                        p ->
                            p.config() instanceof PolicyConfig.TargetTracking tt
                                && tt.metric() instanceof MetricSource.MetricMath)
                || desired.alarms().stream()
                    .anyMatch(a -> a.metric() instanceof MetricSource.MetricMath));
    List<Change> writes = Differ.converge(desired, ObservedState.empty(), OWNER);
    ObservedState observed = putThenDescribe(writes);

    assertThat(observed.target())
        .map(ObservedState.ObservedTarget::target)
        .contains(desired.target());
    assertThat(observed.policies())
        .extracting(ObservedPolicy::policy)
        .containsExactlyElementsOf(desired.policies());
    assertThat(observed.alarms())
        .extracting(ObservedAlarm::alarm)
        .containsExactlyElementsOf(desired.alarms());
    assertThat(observed.scheduledActions())
        .containsExactlyElementsOf(
            desired.scheduledActions().stream()
                .map(AwsMappingProperties::withZoneAsAwsReportsIt)
                .toList());
    assertThat(Differ.converge(desired, observed, OWNER))
        .as("writes on the resync after converging")
        .isEmpty();
  }

  /** Sends each write to an AWS that keeps it, then reads everything back through the mapping. */
  private static ObservedState putThenDescribe(List<Change> writes) {
    Map<String, String> arns = new HashMap<>();
    Optional<ObservedState.ObservedTarget> target = Optional.empty();
    List<ObservedPolicy> policies = new ArrayList<>();
    List<ObservedAlarm> alarms = new ArrayList<>();
    List<ScheduledAction> schedules = new ArrayList<>();
    for (Change change : writes) {
      SdkRequest request = AwsMapping.request(change, arns::get);
      if (request instanceof RegisterScalableTargetRequest r) {
        target = Optional.of(AwsMapping.observedTarget(AwsDescriptions.target(r)));
      } else if (request instanceof PutScalingPolicyRequest r) {
        ObservedPolicy policy = AwsMapping.observedPolicy(AwsDescriptions.policy(r));
        arns.put(policy.policy().name(), policy.arn());
        policies.add(policy);
      } else if (request instanceof PutMetricAlarmRequest r) {
        alarms.add(AwsMapping.observedAlarm(AwsDescriptions.alarm(r)));
      } else if (request instanceof PutScheduledActionRequest r) {
        schedules.add(AwsMapping.scheduledAction(AwsDescriptions.scheduledAction(r)));
      } else {
        throw new AssertionError("converging from nothing deletes nothing, but got " + change);
      }
    }
    return new ObservedState(target, policies, alarms, schedules);
  }

  private static ScheduledAction withZoneAsAwsReportsIt(ScheduledAction a) {
    return new ScheduledAction(
        a.name(),
        a.schedule(),
        a.timezone() == null ? "UTC" : a.timezone(),
        a.startTime(),
        a.endTime(),
        a.minCapacity(),
        a.maxCapacity());
  }

  // ---------------------------------------------------------------- specs, and the plans of the
  // valid ones

  @Provide
  Arbitrary<DesiredState> plans() {
    return specs().map(AwsMappingProperties::planOrNull).filter(p -> p != null);
  }

  private static DesiredState planOrNull(SageMakerScalingPolicySpec spec) {
    return Planner.plan(spec, OWNER, INSTANCE_TYPE) instanceof Plan.Valid valid
        ? valid.desired()
        : null;
  }

  private Arbitrary<SageMakerScalingPolicySpec> specs() {
    Arbitrary<Tuple.Tuple3<ModelType, ScalingTarget, Boolean>> shape =
        Combinators.combine(Arbitraries.of(ModelType.class), targets(), Arbitraries.of(true, false))
            .as(Tuple::of);
    Arbitrary<Tuple.Tuple2<Integer, Integer>> capacity =
        Combinators.combine(
                Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 100))
            .as((min, extra) -> Tuple.of(min, min + extra));
    return Combinators.combine(
            shape,
            capacity,
            targetTracking().list().ofMaxSize(3).uniqueElements(TargetTrackingPolicy::getName),
            stepScaling().list().ofMaxSize(3).uniqueElements(StepScalingPolicy::getName),
            schedules().list().ofMaxSize(3).uniqueElements(ScheduleSpec::getName),
            suspensions())
        .as(
            (s, cap, tracking, steps, schedules, suspend) -> {
              SageMakerScalingPolicySpec spec = new SageMakerScalingPolicySpec();
              spec.setModelType(s.get1());
              spec.setTarget(s.get2());
              spec.setScaleFromZero(s.get3());
              spec.setMinCapacity(cap.get1());
              spec.setMaxCapacity(cap.get2());
              spec.setTargetTracking(new ArrayList<>(tracking));
              spec.setStepScaling(new ArrayList<>(steps));
              spec.setSchedules(new ArrayList<>(schedules));
              spec.setSuspend(suspend);
              return spec;
            });
  }

  private Arbitrary<ScalingTarget> targets() {
    Arbitrary<ScalingTarget> variants =
        Combinators.combine(
                sageMakerNames(),
                sageMakerNames().injectNull(0.5),
                Arbitraries.of(CapacityUnit.Instances, CapacityUnit.ProvisionedConcurrency)
                    .injectNull(0.3))
            .as(
                (endpoint, variant, unit) -> {
                  ScalingTarget t = new ScalingTarget();
                  t.setEndpointName(endpoint);
                  t.setVariantName(variant);
                  t.setCapacityUnit(unit);
                  return t;
                });
    Arbitrary<ScalingTarget> components =
        sageMakerNames()
            .map(
                name -> {
                  ScalingTarget t = new ScalingTarget();
                  t.setInferenceComponentName(name);
                  return t;
                });
    return Arbitraries.frequencyOf(Tuple.of(3, variants), Tuple.of(1, components));
  }

  private Arbitrary<TargetTrackingPolicy> targetTracking() {
    return Combinators.combine(
            itemNames(),
            Arbitraries.of(MetricKind.class),
            Arbitraries.doubles().between(0.01, 100_000).ofScale(2),
            cooldowns(),
            cooldowns(),
            Arbitraries.of(true, false).injectNull(0.5),
            customMetrics(),
            metricQueries())
        .as(
            (name, metric, value, out, in, disableIn, custom, queries) -> {
              TargetTrackingPolicy p = new TargetTrackingPolicy();
              p.setName(name);
              p.setMetric(metric);
              p.setTargetValue(value);
              p.setScaleOutCooldownSeconds(out);
              p.setScaleInCooldownSeconds(in);
              p.setDisableScaleIn(disableIn);
              if (metric == MetricKind.Custom) {
                if (queries.isEmpty()) {
                  p.setCustomMetric(custom);
                } else {
                  p.setMetricQueries(queries);
                }
              }
              return p;
            });
  }

  /** Empty half the time; otherwise metrics and expressions with exactly one result. */
  private Arbitrary<List<MetricQuery>> metricQueries() {
    Arbitrary<List<MetricQuery>> math =
        Combinators.combine(
                customMetricsWithStatistic().list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.of(false).injectNull(0.7),
                Arbitraries.strings().alpha().ofMaxLength(20).injectNull(0.5))
            .as(
                (metrics, otherReturnData, label) -> {
                  List<MetricQuery> queries = new ArrayList<>();
                  for (int i = 0; i < metrics.size(); i++) {
                    MetricQuery q = new MetricQuery();
                    q.setId("m" + i);
                    q.setMetric(metrics.get(i));
                    q.setReturnData(otherReturnData);
                    queries.add(q);
                  }
                  MetricQuery result = new MetricQuery();
                  result.setId("e1");
                  result.setExpression(
                      String.join(" + ", queries.stream().map(MetricQuery::getId).toList()));
                  result.setLabel(label);
                  result.setReturnData(true);
                  queries.add(result);
                  return queries;
                });
    return Arbitraries.oneOf(Arbitraries.just(List.of()), math);
  }

  private Arbitrary<StepScalingPolicy> stepScaling() {
    return Combinators.combine(
            itemNames(),
            Arbitraries.of(MetricKind.class),
            Arbitraries.of(AdjustmentType.class),
            cooldowns(),
            Arbitraries.of(MetricAggregation.class).injectNull(0.6),
            steps(),
            alarmSettings(),
            customMetrics())
        .as(
            (name, metric, adjustment, cooldown, aggregation, steps, alarm, custom) -> {
              StepScalingPolicy p = new StepScalingPolicy();
              p.setName(name);
              p.setMetric(metric);
              p.setAdjustmentType(adjustment);
              if (adjustment == AdjustmentType.PercentChangeInCapacity && cooldown != null) {
                p.setMinAdjustmentMagnitude(1 + cooldown % 5);
              }
              // Exact capacities are not negative; a fresh list, as generated values may be shared
              // while shrinking.
              List<StepBand> bands =
                  adjustment != AdjustmentType.ExactCapacity
                      ? steps
                      : steps.stream()
                          .map(
                              s ->
                                  new StepBand(s.getLower(), s.getUpper(), Math.abs(s.getChange())))
                          .toList();
              p.setCooldownSeconds(cooldown);
              p.setMetricAggregationType(aggregation);
              p.setSteps(new ArrayList<>(bands));
              p.setAlarm(alarm);
              if (metric == MetricKind.Custom) {
                p.setCustomMetric(custom);
              }
              return p;
            });
  }

  /** Contiguous bands around one no-change band: scale in below it, out above it. */
  private Arbitrary<List<StepBand>> steps() {
    return Combinators.combine(
            Arbitraries.doubles().between(-1000, 1000).ofScale(1),
            Arbitraries.doubles().between(0.5, 200).ofScale(1).list().ofMinSize(1).ofMaxSize(6),
            Arbitraries.integers().between(0, 6),
            Arbitraries.integers().between(1, 10).list().ofSize(7))
        .as(
            (start, widths, noChangeAt, sizes) -> {
              int bands = widths.size() + 1;
              int zero = Math.min(noChangeAt, bands - 1);
              List<StepBand> steps = new ArrayList<>();
              double lower = start;
              for (int i = 0; i < bands; i++) {
                Double upper = i < widths.size() ? lower + widths.get(i) : null;
                int change = i < zero ? -sizes.get(i) : i == zero ? 0 : sizes.get(i);
                steps.add(new StepBand(i == 0 ? null : lower, upper, change));
                if (upper != null) {
                  lower = upper;
                }
              }
              return steps;
            });
  }

  private Arbitrary<AlarmSettings> alarmSettings() {
    return Combinators.combine(
            Arbitraries.of(Statistic.class).injectNull(0.5),
            Arbitraries.of(10, 30, 60, 300, 3600).injectNull(0.3),
            Arbitraries.integers().between(1, 5).injectNull(0.3),
            Arbitraries.integers().between(1, 5).injectNull(0.5),
            Arbitraries.of(TreatMissingData.class).injectNull(0.5))
        .as(
            (statistic, period, evaluations, datapoints, missing) -> {
              AlarmSettings a = new AlarmSettings();
              a.setStatistic(statistic);
              a.setPeriodSeconds(period);
              a.setEvaluationPeriods(evaluations);
              a.setDatapointsToAlarm(
                  datapoints == null || evaluations == null
                      ? null
                      : Math.min(datapoints, evaluations));
              a.setTreatMissingData(missing);
              return a;
            })
        .injectNull(0.3);
  }

  private Arbitrary<ScheduleSpec> schedules() {
    return Combinators.combine(
            itemNames(),
            Arbitraries.of(
                "at(2027-01-01T01:00:00)", "rate(5 minutes)", "rate(1 day)", "cron(0 1 * * ? *)"),
            Arbitraries.of("UTC", "Europe/Berlin", "America/New_York").injectNull(0.5),
            Arbitraries.of("2027-01-01T00:00:00Z", "2027-03-01T12:30:00+02:00").injectNull(0.6),
            Arbitraries.of("2028-01-01T00:00:00Z").injectNull(0.6),
            Arbitraries.integers().between(0, 10).injectNull(0.3),
            Arbitraries.integers().between(10, 50).injectNull(0.3))
        .as(
            (name, schedule, zone, start, end, min, max) -> {
              ScheduleSpec s = new ScheduleSpec();
              s.setName(name);
              s.setSchedule(schedule);
              s.setTimezone(zone);
              s.setStartTime(start);
              s.setEndTime(end);
              s.setMinCapacity(min);
              s.setMaxCapacity(min == null && max == null ? Integer.valueOf(20) : max);
              return s;
            });
  }

  private Arbitrary<SuspendSpec> suspensions() {
    return Combinators.combine(
            Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false))
        .as(SuspendSpec::new)
        .injectNull(0.5);
  }

  private Arbitrary<CustomMetric> customMetrics() {
    return Combinators.combine(
            Arbitraries.of("AWS/SageMaker", "Custom/Models", "/aws/sagemaker/Endpoints"),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30),
            dimensions(),
            Arbitraries.of(Statistic.class).injectNull(0.3),
            Arbitraries.of(StandardUnit.Percent, StandardUnit.Count, StandardUnit.Seconds)
                .injectNull(0.5))
        .as(
            (namespace, name, dimensions, statistic, unit) -> {
              CustomMetric m = new CustomMetric();
              m.setNamespace(namespace);
              m.setMetricName(name);
              m.setDimensions(dimensions);
              m.setStatistic(statistic);
              m.setUnit(unit);
              return m;
            });
  }

  private Arbitrary<CustomMetric> customMetricsWithStatistic() {
    return Combinators.combine(customMetrics(), Arbitraries.of(Statistic.class))
        .as(
            (m, statistic) -> {
              m.setStatistic(statistic);
              return m;
            });
  }

  private Arbitrary<List<MetricDimension>> dimensions() {
    return Combinators.combine(
            Arbitraries.of("EndpointName", "VariantName", "Model"), sageMakerNames())
        .as(
            (name, value) -> {
              MetricDimension d = new MetricDimension();
              d.setName(name);
              d.setValue(value);
              return d;
            })
        .list()
        .ofMaxSize(3)
        .uniqueElements(MetricDimension::getName)
        .map(ArrayList::new);
  }

  private Arbitrary<Integer> cooldowns() {
    return Arbitraries.integers().between(0, 3600).injectNull(0.5);
  }

  private Arbitrary<String> itemNames() {
    return Arbitraries.strings()
        .withChars("abcdefghijklmnopqrstuvwxyz0123456789")
        .ofMinLength(1)
        .ofMaxLength(12);
  }

  private Arbitrary<String> sageMakerNames() {
    return Arbitraries.strings()
        .withChars("abcdefghijklmnopqrstuvwxyzABC0123456789")
        .ofMinLength(1)
        .ofMaxLength(20);
  }
}
