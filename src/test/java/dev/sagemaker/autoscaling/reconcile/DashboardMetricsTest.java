package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sagemaker.autoscaling.api.v1alpha1.EndpointStatus;
import dev.sagemaker.autoscaling.api.v1alpha1.ScalingStatus;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import dev.sagemaker.autoscaling.plan.ScalingActivity.NotScaledReason;
import dev.sagemaker.autoscaling.reconcile.ScalingObservation.NamedAlarmState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The example Grafana dashboard and PrometheusRule in deploy/ query only metrics the operator
 * exports (as a scrape names them), and the per-resource scaling metrics leave with the resource.
 */
class DashboardMetricsTest {
  private static final Pattern METRIC = Pattern.compile("\\bsmsp_[a-z_]+");
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  /** A scrape after one converged pass that saw a target held at max. */
  private static String scrape(PrometheusMeterRegistry registry, ReconcileMetrics metrics) {
    ScalingActivity refused =
        new ScalingActivity(
            "n1",
            NOW.minus(Duration.ofMinutes(20)),
            "Failed",
            "Attempting to set desired instance count to 4.",
            "alarm",
            List.of(new NotScaledReason(NotScaledReason.AT_MAX, null, 3, 3)));
    ScalingObservation seen =
        new ScalingObservation(
            "smsp_c_ns_seed_",
            3,
            3,
            1,
            3,
            List.of(
                new NamedAlarmState(
                    "smsp_c_ns_seed_cpu-steps_upper", new AlarmState("ALARM", "test", NOW))),
            Optional.of(List.of(refused)));
    ScalingStatus status =
        ScalingStory.next(null, seen, null, NOW, ScalingStory.Thresholds.defaults());
    metrics.recordPass(
        "uid",
        new Outcome.Converged(
            Fixtures.SEED_TARGET,
            Fixtures.REGION,
            new EndpointStatus(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            Optional.empty()),
        Duration.ofMillis(5));
    metrics.recordSynced("uid", "ns", "seed");
    metrics.recordDriftCorrected();
    metrics.recordScaling("uid", "ns", "seed", status, List.of(refused));
    return registry.scrape();
  }

  /** The status of a later pass: these capacities, and one alarm, in OK. */
  private static ScalingStatus statusWithOneAlarmOk(
      int current,
      int desired,
      int min,
      int max,
      String alarm,
      Optional<List<ScalingActivity>> activities) {
    ScalingObservation seen =
        new ScalingObservation(
            "smsp_c_ns_seed_",
            current,
            desired,
            min,
            max,
            List.of(new NamedAlarmState(alarm, new AlarmState("OK", "fine", NOW))),
            activities);
    return ScalingStory.next(null, seen, null, NOW, ScalingStory.Thresholds.defaults());
  }

  private static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static Set<String> referenced(List<String> expressions) {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        names.add(m.group());
      }
    }
    return names;
  }

  private static List<String> dashboardQueries() throws IOException {
    JsonNode dashboard =
        new ObjectMapper().readTree(Path.of("deploy/grafana-dashboard.json").toFile());
    assertThat(dashboard.path("panels").isArray()).as("a Grafana dashboard has panels").isTrue();
    assertThat(dashboard.path("title").asText()).isNotBlank();
    List<String> queries = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(
            p -> {
              assertThat(p.path("gridPos").isObject()).as("panel %s has a position", p).isTrue();
              p.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
            });
    dashboard
        .path("templating")
        .path("list")
        .forEach(v -> queries.add(v.path("query").path("query").asText()));
    return queries;
  }

  private static List<String> ruleExpressions() throws IOException {
    JsonNode rule =
        new ObjectMapper(new YAMLFactory())
            .readTree(Files.readString(Path.of("deploy/prometheusrule.yaml")));
    assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    List<String> alerts = new ArrayList<>();
    List<String> expressions = new ArrayList<>();
    rule.path("spec")
        .path("groups")
        .forEach(
            g ->
                g.path("rules")
                    .forEach(
                        r -> {
                          alerts.add(r.path("alert").asText());
                          expressions.add(r.path("expr").asText());
                        }));
    assertThat(alerts)
        .containsExactly("SageMakerScalingHeldAtMax", "SageMakerScalingAlarmWithoutData");
    return expressions;
  }

  @Test
  void everyMetricTheDashboardAndTheRuleQueryIsExported() throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Set<String> exported = exported(scrape(registry, new ReconcileMetrics(registry)));

    Set<String> queried = referenced(dashboardQueries());
    queried.addAll(referenced(ruleExpressions()));

    assertThat(queried)
        .contains(
            "smsp_capacity",
            "smsp_alarm_state",
            "smsp_held_at_max_seconds",
            "smsp_not_scaled_activities_total");
    assertThat(exported).containsAll(queried);
  }

  @Test
  void theScalingMetricsSayWhatThePassSawAndLeaveWithTheResource() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ReconcileMetrics metrics = new ReconcileMetrics(registry);
    String scrape = scrape(registry, metrics);

    assertThat(scrape)
        .contains("smsp_capacity{name=\"seed\",namespace=\"ns\",type=\"max\"} 3.0")
        .contains(
            "smsp_alarm_state{alarm=\"smsp_c_ns_seed_cpu-steps_upper\",name=\"seed\",namespace=\"ns\",policy_type=\"step\",state=\"ALARM\"}"
                + " 1.0")
        .contains(
            "smsp_not_scaled_activities_total{name=\"seed\",namespace=\"ns\",reason=\"AlreadyAtMaxCapacity\"}"
                + " 1.0");
    assertThat(registry.find(ReconcileMetrics.HELD_AT_MAX).gauge().value())
        .as("held since 20 minutes before the pass, read at scrape time")
        .isGreaterThanOrEqualTo(20 * 60);

    metrics.forget("uid");
    assertThat(exported(registry.scrape()))
        .doesNotContain(
            "smsp_capacity",
            "smsp_alarm_state",
            "smsp_held_at_max_seconds",
            "smsp_not_scaled_activities_total");
  }

  @Test
  void anAlarmThatLeftTheResourceLeavesTheScrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ReconcileMetrics metrics = new ReconcileMetrics(registry);
    scrape(registry, metrics);
    String lower = "smsp_c_ns_seed_cpu-steps_lower";
    ScalingStatus status = statusWithOneAlarmOk(3, 3, 1, 3, lower, Optional.empty());

    metrics.recordScaling("uid", "ns", "seed", status, List.of());

    String scrape = registry.scrape();
    assertThat(scrape)
        .as("the removed alarm's series is gone, the remaining alarm's is exported")
        .doesNotContain("cpu-steps_upper")
        .contains(
            "smsp_alarm_state{alarm=\""
                + lower
                + "\",name=\"seed\",namespace=\"ns\",policy_type=\"step\",state=\"OK\"} 1.0")
        .contains("smsp_capacity{name=\"seed\",namespace=\"ns\",type=\"max\"} 3.0");

    metrics.forget("uid");
    assertThat(exported(registry.scrape())).doesNotContain("smsp_alarm_state");
  }

  @Test
  void theGaugesFollowEachPassNotTheFirst() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ReconcileMetrics metrics = new ReconcileMetrics(registry);
    scrape(registry, metrics);
    String upper = "smsp_c_ns_seed_cpu-steps_upper";
    ScalingStatus status = statusWithOneAlarmOk(5, 6, 2, 8, upper, Optional.of(List.of()));

    metrics.recordScaling("uid", "ns", "seed", status, List.of());

    String alarm =
        "smsp_alarm_state{alarm=\""
            + upper
            + "\",name=\"seed\",namespace=\"ns\",policy_type=\"step\",state=";
    assertThat(registry.scrape())
        .contains(alarm + "\"OK\"} 1.0")
        .contains(alarm + "\"ALARM\"} 0.0")
        .contains(alarm + "\"INSUFFICIENT_DATA\"} 0.0")
        .contains("smsp_capacity{name=\"seed\",namespace=\"ns\",type=\"current\"} 5.0")
        .contains("smsp_capacity{name=\"seed\",namespace=\"ns\",type=\"desired\"} 6.0")
        .contains("smsp_capacity{name=\"seed\",namespace=\"ns\",type=\"min\"} 2.0")
        .contains("smsp_capacity{name=\"seed\",namespace=\"ns\",type=\"max\"} 8.0");
    assertThat(registry.find(ReconcileMetrics.HELD_AT_MAX).gauge().value())
        .as("no longer held at max")
        .isZero();
    assertThat(registry.find(ReconcileMetrics.ALARM_STATE).gauges()).hasSize(3);
  }
}
