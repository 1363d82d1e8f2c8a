package dev.sagemaker.autoscaling.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagemaker.autoscaling.api.v1alpha1.CapacityUnit;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingActivity;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantInstanceType;

/** Direct SDK access to moto for test set-up and for asserting what AWS holds. */
public final class Moto implements AutoCloseable {
  public static final String REGION = "us-east-1";
  public static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  public final ApplicationAutoScalingClient autoScaling;
  public final CloudWatchClient cloudWatch;
  public final SageMakerClient sageMaker;
  private final URI endpoint;
  private final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  public Moto(URI endpoint) {
    this(endpoint, REGION);
  }

  /** The same, in another region (what the set-up and the assertions see is that region's). */
  public Moto(URI endpoint, String region) {
    this.endpoint = endpoint;
    autoScaling =
        ApplicationAutoScalingClient.builder()
            .endpointOverride(endpoint)
            .region(Region.of(region))
            .credentialsProvider(CREDENTIALS)
            .build();
    cloudWatch =
        CloudWatchClient.builder()
            .endpointOverride(endpoint)
            .region(Region.of(region))
            .credentialsProvider(CREDENTIALS)
            .build();
    sageMaker =
        SageMakerClient.builder()
            .endpointOverride(endpoint)
            .region(Region.of(region))
            .credentialsProvider(CREDENTIALS)
            .build();
  }

  /** A real-time endpoint with one variant, InService at once (moto has no transitions). */
  public void createEndpoint(String name, String variant, String instanceType, int instances) {
    createModel(name);
    sageMaker.createEndpointConfig(
        r ->
            r.endpointConfigName(derivedName(name, "config"))
                .productionVariants(
                    v ->
                        v.variantName(variant)
                            .modelName(derivedName(name, "model"))
                            .initialInstanceCount(instances)
                            .instanceType(ProductionVariantInstanceType.fromValue(instanceType))));
    sageMaker.createEndpoint(
        r -> r.endpointName(name).endpointConfigName(derivedName(name, "config")));
  }

  private void createModel(String endpointName) {
    sageMaker.createModel(
        r ->
            r.modelName(derivedName(endpointName, "model"))
                .executionRoleArn("arn:aws:iam::123456789012:role/sagemaker")
                .primaryContainer(
                    c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest")));
  }

  /** A serverless endpoint whose variant has provisioned concurrency. */
  public void createServerlessEndpoint(String name, String variant, int provisionedConcurrency) {
    createModel(name);
    sageMaker.createEndpointConfig(
        r ->
            r.endpointConfigName(derivedName(name, "config"))
                .productionVariants(
                    v ->
                        v.variantName(variant)
                            .modelName(derivedName(name, "model"))
                            .serverlessConfig(
                                s ->
                                    s.memorySizeInMB(2048)
                                        .maxConcurrency(20)
                                        .provisionedConcurrency(provisionedConcurrency))));
    sageMaker.createEndpoint(
        r -> r.endpointName(name).endpointConfigName(derivedName(name, "config")));
  }

  /** An inference component on an endpoint of its own (moto extension, see src/test/moto). */
  public void createInferenceComponent(String name, int copies) {
    createEndpoint(hostName(name), "AllTraffic", "ml.g4dn.xlarge", 1);
    sageMaker.createInferenceComponent(
        r ->
            r.inferenceComponentName(name)
                .endpointName(hostName(name))
                .variantName("AllTraffic")
                .runtimeConfig(c -> c.copyCount(copies))
                .specification(s -> s.modelName(derivedName(hostName(name), "model"))));
  }

  /**
   * Creates what a resource scales (endpoint, serverless endpoint or inference component), as the
   * examples need.
   */
  public void createBackingResource(SageMakerScalingPolicy resource) {
    var target = resource.getSpec().getTarget();
    if (target.getInferenceComponentName() != null) {
      createInferenceComponent(target.getInferenceComponentName(), 1);
    } else if (target.effectiveCapacityUnit() == CapacityUnit.ProvisionedConcurrency) {
      createServerlessEndpoint(target.getEndpointName(), target.effectiveVariantName(), 2);
    } else {
      createEndpoint(target.getEndpointName(), target.effectiveVariantName(), "ml.c5.2xlarge", 1);
    }
  }

  /** Makes DescribeEndpoint report a status (moto extension); null restores the real one. */
  public void setEndpointStatus(String endpointName, String status) {
    String arn = sageMaker.describeEndpoint(r -> r.endpointName(endpointName)).endpointArn();
    sageMaker.deleteTags(r -> r.resourceArn(arn).tagKeys("smsp-test/status"));
    if (status != null) {
      sageMaker.addTags(r -> r.resourceArn(arn).tags(t -> t.key("smsp-test/status").value(status)));
    }
  }

  public List<ScalableTarget> targets() {
    return autoScaling
        .describeScalableTargetsPaginator(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER))
        .scalableTargets()
        .stream()
        .toList();
  }

  private static final String TRACKING_ALARM_PREFIX = "TargetTracking-";

  public List<ScalingPolicy> policies() {
    // All pages: AWS (and the moto extension) answers 10 policies at a time.
    return autoScaling
        .describeScalingPoliciesPaginator(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER))
        .scalingPolicies()
        .stream()
        .toList();
  }

  /**
   * The alarms the operator writes; those Application Auto Scaling creates for target-tracking
   * policies (which AWS owns) are in {@link #trackingAlarms()}.
   */
  public List<MetricAlarm> alarms() {
    return cloudWatch.describeAlarmsPaginator(r -> {}).metricAlarms().stream()
        .filter(a -> !a.alarmName().startsWith(TRACKING_ALARM_PREFIX))
        .toList();
  }

  /** The alarms Application Auto Scaling created for target-tracking policies. */
  public List<MetricAlarm> trackingAlarms() {
    return cloudWatch
        .describeAlarmsPaginator(r -> r.alarmNamePrefix(TRACKING_ALARM_PREFIX))
        .metricAlarms()
        .stream()
        .toList();
  }

  public List<ScheduledAction> scheduledActions() {
    return autoScaling
        .describeScheduledActionsPaginator(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER))
        .scheduledActions()
        .stream()
        .toList();
  }

  /**
   * Requests that broke the AWS contract since the last moto reset (moto extension 8): rule, path,
   * request.
   */
  public List<Map<String, Object>> contractViolations() {
    return JSON.convertValue(
        call("GET", "/_smsp/contract-violations", null),
        new TypeReference<List<Map<String, Object>>>() {});
  }

  /**
   * Answer contract violations with AWS's error instead of recording and passing them on (until the
   * next reset).
   */
  public void rejectContractViolations(boolean reject) {
    call("POST", "/_smsp/contract-mode", Map.of("reject", reject));
  }

  /**
   * Sets the clock scheduled actions run on and runs every action due since the previous clock time
   * (moto extension 7); answers the actions that ran, each with ScheduledActionName, ResourceId and
   * "at".
   */
  public List<Map<String, Object>> advanceClock(Instant now) {
    Object ran =
        JSON.convertValue(call("POST", "/_smsp/clock", Map.of("now", now.toString())), Map.class)
            .get("ran");
    return JSON.convertValue(ran, new TypeReference<List<Map<String, Object>>>() {});
  }

  public Instant clock() {
    return OffsetDateTime.parse(
            String.valueOf(
                JSON.convertValue(call("GET", "/_smsp/clock", null), Map.class).get("now")))
        .toInstant();
  }

  /**
   * Adds a scaling activity in the API reference's ScalingActivity shape (moto extension 4);
   * ResourceId and ScalableDimension are needed, the rest has defaults. Answers the activity as
   * stored.
   */
  public Map<String, Object> addScalingActivity(Map<String, Object> activity) {
    List<Map<String, Object>> added =
        JSON.convertValue(
            call("POST", "/_smsp/activities", activity),
            new TypeReference<List<Map<String, Object>>>() {});
    return added.get(0);
  }

  /**
   * A not-scaled activity such as AWS records when a policy wants more than MaxCapacity
   * ("AlreadyAtMaxCapacity").
   */
  public Map<String, Object> addNotScaledActivity(
      String resourceId,
      String scalableDimension,
      String code,
      int maxCapacity,
      int currentCapacity) {
    return addScalingActivity(
        Map.of(
            "ResourceId",
            resourceId,
            "ScalableDimension",
            scalableDimension,
            "Description",
            "Attempting to set desired capacity to " + (currentCapacity + 1) + ".",
            "Cause",
            "a test says a scale-out was not needed",
            "NotScaledReasons",
            List.of(
                Map.of(
                    "Code",
                    code,
                    "MaxCapacity",
                    maxCapacity,
                    "CurrentCapacity",
                    currentCapacity))));
  }

  public List<ScalingActivity> scalingActivities(String resourceId, String scalableDimension) {
    return autoScaling
        .describeScalingActivities(
            r ->
                r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                    .resourceId(resourceId)
                    .scalableDimension(scalableDimension)
                    .includeNotScaledActivities(true))
        .scalingActivities();
  }

  public void setAlarmState(String alarmName, StateValue state, String reason) {
    cloudWatch.setAlarmState(r -> r.alarmName(alarmName).stateValue(state).stateReason(reason));
  }

  private Object call(String method, String path, Object body) {
    try {
      HttpRequest.BodyPublisher publisher =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(endpoint.resolve(path))
                  .method(method, publisher)
                  .header("Content-Type", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            method + " " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return JSON.readValue(response.body(), Object.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    autoScaling.close();
    cloudWatch.close();
    sageMaker.close();
  }

  /**
   * The model or endpoint-config name for an endpoint: SageMaker names are at most 63 characters,
   * and an endpoint name may already use all of them, so a long one is cut and made unique by its
   * hash.
   */
  private static String derivedName(String endpointName, String kind) {
    String name = endpointName + "-" + kind;
    if (name.length() <= 63) {
      return name;
    }
    String hash = Integer.toHexString(endpointName.hashCode());
    String head = endpointName.substring(0, 63 - kind.length() - hash.length() - 2);
    return (head + "-" + hash + "-" + kind).replaceAll("-{2,}", "-");
  }

  /** The endpoint that hosts an inference component, within SageMaker's 63 characters. */
  private static String hostName(String componentName) {
    return derivedName(componentName, "host");
  }
}
