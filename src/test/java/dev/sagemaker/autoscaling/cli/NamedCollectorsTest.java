package dev.sagemaker.autoscaling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NamedCollectorsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new NamedCollectors(), Clock.SYSTEM);
  private final AtomicInteger gaugeReads = new AtomicInteger();

  NamedCollectorsTest() {
    Counter.builder("smsp_aws_calls").tag("service", "CloudWatch").register(registry).increment(3);
    Timer.builder("smsp_reconcile")
        .tag("outcome", "Converged")
        .register(registry)
        .record(Duration.ofMillis(20));
    Gauge.builder("smsp_capacity", gaugeReads, AtomicInteger::incrementAndGet)
        .tag("type", "max")
        .register(registry);
  }

  @Test
  void aScrapeForNamedMetricsGivesTheirLinesOfTheFullPage() {
    String full = registry.scrape();

    String named = scrape("/metrics?name%5B%5D=smsp_aws_calls&name%5B%5D=smsp_reconcile_seconds");

    assertThat(samples(named))
        .containsExactlyInAnyOrderElementsOf(
            samples(full).stream()
                .filter(
                    line ->
                        line.startsWith("smsp_aws_calls_total")
                            || line.startsWith("smsp_reconcile_seconds_count")
                            || line.startsWith("smsp_reconcile_seconds_sum"))
                .toList())
        .hasSize(3);
  }

  @Test
  void aScrapeForNamedMetricsDoesNotEvaluateTheOthersOnceTheirNamesAreKnown() {
    registry.scrape();
    int before = gaugeReads.get();

    String named = scrape("/metrics?name%5B%5D=smsp_aws_calls");

    assertThat(named).contains("smsp_aws_calls_total{service=\"CloudWatch\"} 3.0");
    assertThat(named).doesNotContain("smsp_capacity");
    assertThat(gaugeReads.get()).isEqualTo(before);
  }

  @Test
  void aMetricNotCollectedYetIsCollectedForAnyName() {
    String named = scrape("/metrics?name%5B%5D=smsp_capacity");

    assertThat(named).contains("smsp_capacity{type=\"max\"} 1.0");
    assertThat(gaugeReads.get()).isEqualTo(1);
  }

  @Test
  void withoutNamesTheWholePageIsServedAndAMeterRemovedLeavesIt() {
    assertThat(scrape("/metrics")).contains("smsp_capacity", "smsp_aws_calls_total");

    registry.remove(registry.find("smsp_capacity").gauge());

    assertThat(scrape("/metrics")).doesNotContain("smsp_capacity").contains("smsp_aws_calls");
    assertThat(scrape("/metrics?name%5B%5D=smsp_capacity")).doesNotContain("smsp_capacity{");
  }

  private String scrape(String request) {
    return ProbeServer.scrape(registry, URI.create("http://localhost" + request));
  }

  private static List<String> samples(String page) {
    return page.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).toList();
  }
}
