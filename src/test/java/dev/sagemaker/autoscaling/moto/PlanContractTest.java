package dev.sagemaker.autoscaling.moto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemaker.autoscaling.cli.PlanCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every request `plan` renders for every example passes the contract check (botocore's service
 * models plus the documented cross-field rules, src/test/moto/smsp_contract.py), as AWS would
 * accept it.
 *
 * <p>KNOWN lists violations that are bugs in src/main, each with its reason. Such an example passes
 * only while it breaks exactly those rules; once the bug is fixed the test fails and asks for the
 * entry to be removed, so a fix shows and a new violation cannot hide behind an old one.
 */
class PlanContractTest {
  /**
   * Violations that are known bugs in src/main, by "file: operation rule path", with the reason.
   * None today.
   */
  private static final Map<String, String> KNOWN = Map.of();

  /**
   * Inputs the examples do not cover, written as the CRD documents them (returnData "leave unset
   * elsewhere").
   */
  private static final Map<String, String> CORPUS =
      Map.of(
          "custom-metric-math.yaml",
          """
apiVersion: autoscaling.sagemaker.dev/v1alpha1
kind: SageMakerScalingPolicy
metadata: {name: custom-math, namespace: ml}
spec:
  modelType: RealTime
  target: {endpointName: ep}
  minCapacity: 1
  maxCapacity: 4
  targetTracking:
    - name: per-instance
      metric: Custom
      targetValue: 100
      metricQueries:
        - id: m1
          metric: {namespace: AWS/SageMaker, metricName: Invocations, statistic: Sum, unit: Count,
                   dimensions: [{name: EndpointName, value: ep}, {name: VariantName, value: AllTraffic}]}
        - id: e1
          expression: m1 / 60
          returnData: true
  stepScaling:
    - name: latency
      adjustmentType: ChangeInCapacity
      metric: Custom
      customMetric: {namespace: AWS/SageMaker, metricName: ModelLatency, statistic: Average, unit: Microseconds,
                     dimensions: [{name: EndpointName, value: ep}]}
      alarm: {periodSeconds: 3600, evaluationPeriods: 24}
      steps:
        - {upper: 100000, change: -1}
        - {lower: 500000, change: 1}
""");

  @TestFactory
  Stream<DynamicTest> everyExamplesRequestsPassTheContractCheck() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      examples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).isNotEmpty();
    Path corpus = Files.createTempDirectory("plan-contract");
    for (Map.Entry<String, String> manifest : CORPUS.entrySet()) {
      examples =
          Stream.concat(
                  examples.stream(),
                  Stream.of(
                      Files.writeString(corpus.resolve(manifest.getKey()), manifest.getValue())))
              .toList();
    }
    return examples.stream()
        .map(
            example ->
                DynamicTest.dynamicTest(example.getFileName().toString(), () -> check(example)));
  }

  private static void check(Path example) throws Exception {
    String plan = plan(example);
    MotoPython.Result result =
        MotoPython.run(plan, MotoPython.MOTO_DIR.resolve("contract_check.py").toString(), "-");
    assertThat(result.exit()).as(result.err()).isIn(0, 1);
    TreeSet<String> found = new TreeSet<>();
    for (JsonNode request : new ObjectMapper().readTree(result.out())) {
      for (JsonNode v : request.get("violations")) {
        found.add(
            request.get("operation").asText()
                + " "
                + v.get("rule").asText()
                + " "
                + v.get("path").asText());
      }
    }
    String name = example.getFileName().toString();
    TreeSet<String> known = new TreeSet<>();
    KNOWN.forEach(
        (key, reason) -> {
          if (key.startsWith(name + ": ")) {
            known.add(key.substring(name.length() + 2));
          }
        });
    assertThat(found)
        .as(
            "violations of %s (known src/main bugs: %s); checker output:%n%s",
            name, known, result.out())
        .isEqualTo(known);
  }

  private static String plan(Path example) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new PlanCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit =
        cli.execute(
            "-f", example.toString(), "--cluster-name", "prod", "--instance-type", "ml.c5.2xlarge");
    assertThat(exit).as(err.toString()).isZero();
    return out.toString();
  }
}
