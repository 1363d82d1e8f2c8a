package dev.sagemaker.autoscaling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.tenancy.Glob;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * `iam-policy` prints a policy IAM accepts in shape, that allows every AWS operation the operator's
 * code calls (found by scanning src/main/java/.../aws for SDK client calls, not from a list kept
 * here), and that keeps writes to what this cluster owns.
 */
class IamPolicyCommandTest {
  private static final String CLUSTER = "prod-eu-1";
  private static final String ACCOUNT = "111122223333";
  private static final String ROLES = "arn:aws:iam::111122223333:role/smsp-*";
  private static final Path AWS_SOURCES = Path.of("src/main/java/dev/sagemaker/autoscaling/aws");

  /** The SDK clients the operator builds, and the IAM service prefix of each. */
  private static final Map<Class<?>, String> CLIENTS =
      Map.of(
          ApplicationAutoScalingClient.class, "application-autoscaling",
          CloudWatchClient.class, "cloudwatch",
          SageMakerClient.class, "sagemaker",
          StsClient.class, "sts");

  private static final Set<String> CONDITION_OPERATORS =
      Set.of(
          "StringEquals",
          "StringNotEquals",
          "StringLike",
          "StringNotLike",
          "StringEqualsIgnoreCase",
          "ArnLike",
          "ArnEquals",
          "Null",
          "Bool",
          "StringLikeIfExists",
          "StringEqualsIfExists",
          "ForAllValues:StringEquals",
          "ForAllValues:StringLike",
          "ForAnyValue:StringEquals",
          "ForAnyValue:StringLike");

  /**
   * Which actions take which tag condition keys, from the Service Authorization Reference (see
   * IamPolicy's comment): a key on an action that does not support it would never match.
   */
  private static final Map<String, Set<String>> TAG_KEY_SUPPORT =
      Map.of(
          "aws:ResourceTag",
              Set.of(
                  "application-autoscaling:RegisterScalableTarget",
                  "application-autoscaling:DeregisterScalableTarget",
                  "application-autoscaling:PutScalingPolicy",
                  "application-autoscaling:DeleteScalingPolicy",
                  "application-autoscaling:PutScheduledAction",
                  "application-autoscaling:DeleteScheduledAction",
                  "application-autoscaling:TagResource",
                  "application-autoscaling:UntagResource",
                  "application-autoscaling:ListTagsForResource"),
          "aws:RequestTag",
              Set.of(
                  "application-autoscaling:RegisterScalableTarget",
                  "application-autoscaling:TagResource",
                  "cloudwatch:PutMetricAlarm",
                  "cloudwatch:TagResource",
                  "sts:TagSession"),
          "aws:TagKeys",
              Set.of(
                  "application-autoscaling:RegisterScalableTarget",
                  "application-autoscaling:TagResource",
                  "application-autoscaling:UntagResource",
                  "cloudwatch:PutMetricAlarm",
                  "cloudwatch:TagResource",
                  "cloudwatch:UntagResource",
                  "sts:TagSession"));

  private record Result(int exit, String out, String err) {}

  private static Result iamPolicy(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new IamPolicyCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private static JsonNode policy(String... args) throws IOException {
    Result result = iamPolicy(args);
    assertThat(result.exit()).as(result.err()).isZero();
    return new ObjectMapper().readTree(result.out());
  }

  private static JsonNode fullPolicy() throws IOException {
    return policy(
        "--cluster-name",
        CLUSTER,
        "--account",
        ACCOUNT,
        "--allow-adopt",
        "--assume-role-arns",
        ROLES);
  }

  @Test
  void printsAPolicyOfTheShapeIamAccepts() throws IOException {
    JsonNode policy = fullPolicy();
    assertThat(fieldNames(policy)).containsExactly("Version", "Statement");
    assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
    assertThat(policy.get("Statement").isArray()).isTrue();
    assertThat(policy.get("Statement")).isNotEmpty();
    Set<String> sids = new HashSet<>();
    for (JsonNode s : policy.get("Statement")) {
      assertThat(Set.of("Sid", "Effect", "Action", "Resource", "Condition"))
          .containsAll(fieldNames(s));
      assertThat(s.get("Sid").asText()).matches("[A-Za-z0-9]+");
      assertThat(sids.add(s.get("Sid").asText())).as("unique Sid %s", s.get("Sid")).isTrue();
      assertThat(s.get("Effect").asText()).isEqualTo("Allow");
      assertThat(strings(s.get("Action")))
          .isNotEmpty()
          .allSatisfy(a -> assertThat(a).matches("[a-z0-9-]+:[A-Za-z]+"));
      assertThat(strings(s.get("Resource")))
          .isNotEmpty()
          .allSatisfy(
              r -> assertThat(r).matches("\\*|arn:aws:[a-z0-9-]+:[a-z0-9*-]*:(\\d{12}|\\*)?:.+"));
      if (s.has("Condition")) {
        assertThat(s.get("Condition").isObject()).isTrue();
        s.get("Condition")
            .fields()
            .forEachRemaining(
                operator -> {
                  assertThat(CONDITION_OPERATORS).contains(operator.getKey());
                  assertThat(operator.getValue().isObject()).isTrue();
                  operator
                      .getValue()
                      .fields()
                      .forEachRemaining(
                          key -> {
                            assertThat(key.getKey()).matches("[a-zA-Z-]+:[A-Za-z-]+(/.+)?");
                            assertThat(strings(key.getValue())).isNotEmpty();
                          });
                });
      }
    }
  }

  @Test
  void allowsEveryOperationTheOperatorCalls() throws IOException {
    Set<String> called = operationsCalledInAwsPackage();
    // The scan must see the calls at all: a scanner that found nothing would pass any policy.
    assertThat(called)
        .contains(
            "application-autoscaling:RegisterScalableTarget",
            "cloudwatch:PutMetricAlarm",
            "sagemaker:DescribeEndpoint",
            "sts:AssumeRole");
    JsonNode policy = fullPolicy();
    List<String> missing = called.stream().filter(op -> !allowed(policy, op)).toList();
    assertThat(missing)
        .as("operations the code calls that no statement allows (of %s)", called)
        .isEmpty();
  }

  @Test
  void alarmsWithTagsAlsoNeedCloudWatchTagResource() throws IOException {
    // PutMetricAlarm API reference: creating an alarm with tags needs cloudwatch:TagResource too.
    assertThat(Files.readString(AWS_SOURCES.resolve("AwsMapping.java")))
        .contains("PutMetricAlarmRequest")
        .contains(".tags(");
    assertThat(allowed(fullPolicy(), "cloudwatch:TagResource")).isTrue();
  }

  @Test
  void scalableTargetWritesRequireThisClustersOwnerTag() throws IOException {
    String owner = CLUSTER + "/*";
    for (JsonNode s : fullPolicy().get("Statement")) {
      List<String> writes =
          strings(s.get("Action")).stream()
              .filter(
                  a ->
                      a.startsWith("application-autoscaling:")
                          && !a.contains(":Describe")
                          && !a.contains(":List"))
              .toList();
      if (writes.isEmpty()) {
        continue;
      }
      Map<String, String> conditions = flatConditions(s);
      boolean ownedTarget =
          owner.equals(conditions.get("StringLike aws:ResourceTag/" + Owner.TAG_KEY));
      boolean taggedOnCreate =
          owner.equals(conditions.get("StringLike aws:RequestTag/" + Owner.TAG_KEY))
              && "true".equals(conditions.get("Null aws:ResourceTag/" + Owner.TAG_KEY))
              && ("[\"" + Owner.TAG_KEY + "\"]")
                  .equals(conditions.get("ForAllValues:StringEquals aws:TagKeys"));
      assertThat(ownedTarget || taggedOnCreate)
          .as("statement %s (%s) is limited to this cluster's targets", s.get("Sid"), writes)
          .isTrue();
      assertThat(strings(s.get("Resource")))
          .containsExactly("arn:aws:application-autoscaling:*:" + ACCOUNT + ":scalable-target/*");
    }
  }

  @Test
  void conditionKeysAreUsedOnlyWithActionsThatSupportThem() throws IOException {
    for (JsonNode s : fullPolicy().get("Statement")) {
      for (String key : flatConditions(s).keySet()) {
        String conditionKey = key.substring(key.indexOf(' ') + 1).replaceFirst("/.*", "");
        Set<String> supporting = TAG_KEY_SUPPORT.get(conditionKey);
        if (supporting != null) {
          assertThat(supporting)
              .as("actions of %s that take %s", s.get("Sid"), conditionKey)
              .containsAll(strings(s.get("Action")));
        }
      }
    }
  }

  @Test
  void alarmsAreLimitedToThisClustersPrefix() throws IOException {
    for (JsonNode s : fullPolicy().get("Statement")) {
      List<String> actions = strings(s.get("Action"));
      if (actions.stream()
          .anyMatch(a -> a.startsWith("cloudwatch:") && !a.equals("cloudwatch:DescribeAlarms"))) {
        assertThat(strings(s.get("Resource")))
            .containsExactly("arn:aws:cloudwatch:*:" + ACCOUNT + ":alarm:smsp_" + CLUSTER + "_*");
      }
    }
  }

  @Test
  void adoptionAndAssumeRoleAreOnlyThereWhenAskedFor() throws IOException {
    JsonNode minimal = policy("--cluster-name", CLUSTER);
    assertThat(allowed(minimal, "application-autoscaling:TagResource")).isFalse();
    assertThat(allowed(minimal, "sts:AssumeRole")).isFalse();
    assertThat(resources(minimal)).allSatisfy(r -> assertThat(r).doesNotContain(ACCOUNT));

    JsonNode full = fullPolicy();
    assertThat(allowed(full, "application-autoscaling:TagResource")).isTrue();
    for (JsonNode s : full.get("Statement")) {
      if (strings(s.get("Action")).contains("sts:AssumeRole")) {
        assertThat(strings(s.get("Resource"))).containsExactly(ROLES);
      }
    }
  }

  @Test
  void refusesAClusterNameThatCannotBeInAwsNames() {
    Result result = iamPolicy("--cluster-name", "prod_eu");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("DNS label");
    assertThat(iamPolicy("--cluster-name", "prod", "--account", "12").err()).contains("12 digits");
  }

  @Test
  void theShippedPolicyIsTheCommandsOutputForThePlaceholderCluster() throws IOException {
    // docs/operations.md gives this command; deploy/iam-policy.json is its output.
    JsonNode shipped =
        new ObjectMapper().readTree(Files.readString(Path.of("deploy/iam-policy.json")));
    assertThat(shipped)
        .isEqualTo(
            policy(
                "--cluster-name",
                "my-cluster",
                "--account",
                "111122223333",
                "--assume-role-arns",
                "arn:aws:iam::111122223333:role/smsp-*"));
  }

  /**
   * IAM prefix:Operation for every SDK client call in the aws package, and AssumeRole (+TagSession)
   * for the STS provider.
   */
  private static Set<String> operationsCalledInAwsPackage() throws IOException {
    Set<String> operations = new TreeSet<>();
    List<Path> sources;
    try (Stream<Path> files = Files.list(AWS_SOURCES)) {
      // MetricHistory serves `simulate --from-cloudwatch`, run by a person with their own
      // credentials;
      // the operator never calls it, so its role needs no GetMetricData.
      sources =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.getFileName().toString().equals("MetricHistory.java"))
              .sorted()
              .toList();
    }
    for (Path file : sources) {
      String source = Files.readString(file);
      Map<String, Class<?>> variables = new HashMap<>();
      for (Class<?> client : CLIENTS.keySet()) {
        Matcher declaration =
            Pattern.compile("\\b" + client.getSimpleName() + "\\s+(\\w+)\\s*[;=,)]")
                .matcher(source);
        while (declaration.find()) {
          variables.put(declaration.group(1), client);
        }
      }
      for (Map.Entry<String, Class<?>> variable : variables.entrySet()) {
        Matcher call =
            Pattern.compile("\\b" + variable.getKey() + "\\s*\\.\\s*(\\w+)\\s*\\(").matcher(source);
        while (call.find()) {
          operation(variable.getValue(), call.group(1)).ifPresent(operations::add);
        }
      }
      Matcher assume =
          Pattern.compile(
                  "StsAssumeRoleCredentialsProvider\\.builder\\(\\)[\\s\\S]*?\\.build\\(\\)")
              .matcher(source);
      while (assume.find()) {
        operations.add("sts:AssumeRole");
        if (assume.group().contains(".tags(")) {
          operations.add("sts:TagSession");
        }
      }
    }
    return operations;
  }

  /**
   * The IAM action of an SDK client method: operations return a response or a paginator; builder
   * and close do not.
   */
  private static Optional<String> operation(Class<?> client, String method) {
    boolean isOperation = false;
    for (Method m : client.getMethods()) {
      String returned = m.getReturnType().getSimpleName();
      if (m.getName().equals(method)
          && (returned.endsWith("Response") || returned.endsWith("Iterable"))) {
        isOperation = true;
      }
    }
    if (!isOperation) {
      return Optional.empty();
    }
    String name =
        method.endsWith("Paginator")
            ? method.substring(0, method.length() - "Paginator".length())
            : method;
    return Optional.of(
        CLIENTS.get(client) + ":" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
  }

  private static boolean allowed(JsonNode policy, String operation) {
    for (JsonNode s : policy.get("Statement")) {
      for (String action : strings(s.get("Action"))) {
        // IAM action names are case-insensitive and may hold '*'.
        if ("Allow".equals(s.get("Effect").asText())
            && Glob.matches(action.toLowerCase(Locale.ROOT), operation.toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> resources(JsonNode policy) {
    List<String> resources = new ArrayList<>();
    policy.get("Statement").forEach(s -> resources.addAll(strings(s.get("Resource"))));
    return resources;
  }

  /** "Operator key" → value (arrays as JSON text). */
  private static Map<String, String> flatConditions(JsonNode statement) {
    Map<String, String> flat = new HashMap<>();
    if (statement.has("Condition")) {
      statement
          .get("Condition")
          .fields()
          .forEachRemaining(
              op ->
                  op.getValue()
                      .fields()
                      .forEachRemaining(
                          key ->
                              flat.put(
                                  op.getKey() + " " + key.getKey(),
                                  key.getValue().isTextual()
                                      ? key.getValue().asText()
                                      : key.getValue().toString())));
    }
    return flat;
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node == null) {
      return values;
    }
    if (node.isArray()) {
      node.forEach(
          n -> {
            assertThat(n.isTextual()).as("%s holds only strings", node).isTrue();
            values.add(n.asText());
          });
    } else {
      assertThat(node.isTextual()).as("%s is a string or a list of strings", node).isTrue();
      values.add(node.asText());
    }
    return values;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
