package dev.sagemaker.autoscaling.aws;

import dev.sagemaker.autoscaling.plan.Alarm;
import dev.sagemaker.autoscaling.plan.AlarmState;
import dev.sagemaker.autoscaling.plan.EndpointFacts;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedAlarm;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedPolicy;
import dev.sagemaker.autoscaling.plan.ObservedState.ObservedTarget;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.ScalableTarget;
import dev.sagemaker.autoscaling.plan.ScalingActivity;
import dev.sagemaker.autoscaling.plan.ScalingPolicy;
import dev.sagemaker.autoscaling.plan.ScheduledAction;
import dev.sagemaker.autoscaling.plan.TargetKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;

/** {@link ScalingApi} over the AWS SDK for Java v2. */
public final class SdkScalingApi implements ScalingApi {
  /** DescribeScalableTargets takes at most 50 resource ids, and returns at most 50 per page. */
  private static final int TARGETS_PER_CALL = 50;

  /** DescribeAlarms takes at most 100 AlarmNames. */
  private static final int ALARM_NAMES_PER_CALL = 100;

  /** ListEndpoints returns at most 100 per page (10 unless asked). */
  private static final int ENDPOINTS_PER_PAGE = 100;

  /** ListInferenceComponents returns at most 100 per page (10 unless asked). */
  private static final int INFERENCE_COMPONENTS_PER_PAGE = 100;

  private final ApplicationAutoScalingClient autoScaling;
  private final CloudWatchClient cloudWatch;
  private final SageMakerClient sageMaker;

  public SdkScalingApi(
      ApplicationAutoScalingClient autoScaling,
      CloudWatchClient cloudWatch,
      SageMakerClient sageMaker) {
    this.autoScaling = autoScaling;
    this.cloudWatch = cloudWatch;
    this.sageMaker = sageMaker;
  }

  @Override
  public Optional<EndpointFacts> describeEndpoint(
      String endpointName, String variantName, boolean withInstanceType) {
    Optional<DescribeEndpointResponse> found =
        find(
            "DescribeEndpoint",
            () -> sageMaker.describeEndpoint(r -> r.endpointName(endpointName)));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    DescribeEndpointResponse endpoint = found.get();
    List<String> variants =
        endpoint.productionVariants().stream().map(ProductionVariantSummary::variantName).toList();
    Optional<ProductionVariantSummary> variant =
        endpoint.productionVariants().stream()
            .filter(v -> v.variantName().equals(variantName))
            .findFirst();
    Optional<String> instanceType = Optional.empty();
    if (withInstanceType && variant.isPresent() && endpoint.endpointConfigName() != null) {
      instanceType =
          find(
                  "DescribeEndpointConfig",
                  () ->
                      sageMaker.describeEndpointConfig(
                          r -> r.endpointConfigName(endpoint.endpointConfigName())))
              .flatMap(
                  c ->
                      c.productionVariants().stream()
                          .filter(v -> v.variantName().equals(variantName))
                          .findFirst()
                          .map(v -> v.instanceTypeAsString()));
    }
    Integer current = variant.map(this::currentCapacity).orElse(null);
    Integer desired = variant.map(this::desiredCapacity).orElse(null);
    return Optional.of(
        new EndpointFacts(
            endpoint.endpointStatusAsString(),
            variant.isPresent(),
            variants,
            current,
            desired,
            instanceType));
  }

  private Integer currentCapacity(ProductionVariantSummary v) {
    return v.currentServerlessConfig() != null
            && v.currentServerlessConfig().provisionedConcurrency() != null
        ? v.currentServerlessConfig().provisionedConcurrency()
        : v.currentInstanceCount();
  }

  private Integer desiredCapacity(ProductionVariantSummary v) {
    return v.desiredServerlessConfig() != null
            && v.desiredServerlessConfig().provisionedConcurrency() != null
        ? v.desiredServerlessConfig().provisionedConcurrency()
        : v.desiredInstanceCount();
  }

  @Override
  public Optional<EndpointFacts> describeInferenceComponent(String componentName) {
    return find(
            "DescribeInferenceComponent",
            () ->
                sageMaker.describeInferenceComponent(r -> r.inferenceComponentName(componentName)))
        .map(
            c ->
                new EndpointFacts(
                    c.inferenceComponentStatusAsString(),
                    true,
                    List.of(componentName),
                    c.runtimeConfig() == null ? null : c.runtimeConfig().currentCopyCount(),
                    c.runtimeConfig() == null ? null : c.runtimeConfig().desiredCopyCount(),
                    Optional.empty()));
  }

  @Override
  public Map<String, EndpointFacts.Listing> listEndpoints() {
    Map<String, EndpointFacts.Listing> listed = new HashMap<>();
    call(
        "ListEndpoints",
        () -> {
          sageMaker
              .listEndpointsPaginator(r -> r.maxResults(ENDPOINTS_PER_PAGE))
              .endpoints()
              .forEach(
                  e ->
                      listed.put(
                          e.endpointName(),
                          new EndpointFacts.Listing(
                              e.endpointStatusAsString(), e.lastModifiedTime())));
          return null;
        });
    return listed;
  }

  @Override
  public Map<String, EndpointFacts.Listing> listInferenceComponents() {
    Map<String, EndpointFacts.Listing> listed = new HashMap<>();
    call(
        "ListInferenceComponents",
        () -> {
          sageMaker
              .listInferenceComponentsPaginator(r -> r.maxResults(INFERENCE_COMPONENTS_PER_PAGE))
              .inferenceComponents()
              .forEach(
                  c ->
                      listed.put(
                          c.inferenceComponentName(),
                          new EndpointFacts.Listing(
                              c.inferenceComponentStatusAsString(), c.lastModifiedTime())));
          return null;
        });
    return listed;
  }

  @Override
  public Map<TargetKey, ObservedTarget> describeAllTargets() {
    Map<TargetKey, ObservedTarget> found = new HashMap<>();
    call(
        "DescribeScalableTargets",
        () -> {
          autoScaling
              .describeScalableTargetsPaginator(
                  r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER).maxResults(TARGETS_PER_CALL))
              .scalableTargets()
              .stream()
              .map(AwsMapping::observedTarget)
              .forEach(t -> found.put(t.target().key(), t));
          return null;
        });
    return found;
  }

  @Override
  public Optional<ObservedTarget> describeTarget(TargetKey key) {
    return Optional.ofNullable(describeTargets(List.of(key)).get(key));
  }

  @Override
  public Map<TargetKey, ObservedTarget> describeTargets(Collection<TargetKey> keys) {
    Map<TargetKey, ObservedTarget> found = new HashMap<>();
    Set<TargetKey> wanted = Set.copyOf(keys);
    List<String> ids = keys.stream().map(TargetKey::resourceId).distinct().sorted().toList();
    for (int from = 0; from < ids.size(); from += TARGETS_PER_CALL) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + TARGETS_PER_CALL));
      // Dimension is left out so one call covers every kind of target; it is matched below.
      call(
          "DescribeScalableTargets",
          () -> {
            autoScaling
                .describeScalableTargetsPaginator(
                    r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER).resourceIds(batch))
                .scalableTargets()
                .stream()
                .map(AwsMapping::observedTarget)
                .filter(t -> wanted.contains(t.target().key()))
                .forEach(t -> found.put(t.target().key(), t));
            return null;
          });
    }
    return found;
  }

  @Override
  public Optional<String> targetOwnerTag(String targetArn) {
    return Optional.ofNullable(
        call(
                "ListTagsForResource",
                () -> autoScaling.listTagsForResource(r -> r.resourceARN(targetArn)))
            .tags()
            .get(Owner.TAG_KEY));
  }

  @Override
  public void tagTarget(String targetArn, Map<String, String> tags) {
    call("TagResource", () -> autoScaling.tagResource(r -> r.resourceARN(targetArn).tags(tags)));
  }

  @Override
  public List<ObservedPolicy> describePolicies(TargetKey key) {
    // Some back ends match resource ids by substring; only this target's policies count.
    return policies(r -> r.resourceId(key.resourceId()).scalableDimension(key.scalableDimension()))
        .getOrDefault(key, List.of());
  }

  @Override
  public Map<TargetKey, List<ObservedPolicy>> describeAllPolicies() {
    return policies(r -> {});
  }

  private Map<TargetKey, List<ObservedPolicy>> policies(
      Consumer<
              software.amazon.awssdk.services.applicationautoscaling.model
                  .DescribeScalingPoliciesRequest.Builder>
          filter) {
    Map<TargetKey, List<ObservedPolicy>> byTarget = new HashMap<>();
    call(
        "DescribeScalingPolicies",
        () -> {
          autoScaling
              .describeScalingPoliciesPaginator(
                  r -> filter.accept(r.serviceNamespace(ServiceNamespace.SAGEMAKER)))
              .scalingPolicies()
              .forEach(
                  p ->
                      byTarget
                          .computeIfAbsent(AwsMapping.targetKeyOf(p), k -> new ArrayList<>())
                          .add(AwsMapping.observedPolicy(p)));
          return null;
        });
    return byTarget;
  }

  @Override
  public List<ObservedAlarm> describeAlarms(String namePrefix) {
    List<ObservedAlarm> alarms = new ArrayList<>();
    call(
        "DescribeAlarms",
        () -> {
          cloudWatch
              .describeAlarmsPaginator(r -> r.alarmNamePrefix(namePrefix))
              .metricAlarms()
              .stream()
              .filter(a -> a.alarmName().startsWith(namePrefix))
              .forEach(a -> alarms.add(AwsMapping.observedAlarm(a)));
          return null;
        });
    return alarms;
  }

  @Override
  public Map<String, AlarmState> describeAlarmStates(Collection<String> names) {
    Map<String, AlarmState> states = new HashMap<>();
    List<String> sorted = names.stream().distinct().sorted().toList();
    for (int from = 0; from < sorted.size(); from += ALARM_NAMES_PER_CALL) {
      List<String> batch =
          sorted.subList(from, Math.min(sorted.size(), from + ALARM_NAMES_PER_CALL));
      call(
          "DescribeAlarms",
          () -> {
            cloudWatch
                .describeAlarmsPaginator(r -> r.alarmNames(batch))
                .metricAlarms()
                .forEach(
                    a -> AwsMapping.alarmState(a).ifPresent(s -> states.put(a.alarmName(), s)));
            return null;
          });
    }
    return states;
  }

  @Override
  public List<ScheduledAction> describeScheduledActions(TargetKey key) {
    return scheduledActions(
            r -> r.resourceId(key.resourceId()).scalableDimension(key.scalableDimension()))
        .getOrDefault(key, List.of());
  }

  @Override
  public Map<TargetKey, List<ScheduledAction>> describeAllScheduledActions() {
    return scheduledActions(r -> {});
  }

  private Map<TargetKey, List<ScheduledAction>> scheduledActions(
      Consumer<
              software.amazon.awssdk.services.applicationautoscaling.model
                  .DescribeScheduledActionsRequest.Builder>
          filter) {
    Map<TargetKey, List<ScheduledAction>> byTarget = new HashMap<>();
    call(
        "DescribeScheduledActions",
        () -> {
          autoScaling
              .describeScheduledActionsPaginator(
                  r -> filter.accept(r.serviceNamespace(ServiceNamespace.SAGEMAKER)))
              .scheduledActions()
              .forEach(
                  a ->
                      byTarget
                          .computeIfAbsent(AwsMapping.targetKeyOf(a), k -> new ArrayList<>())
                          .add(AwsMapping.scheduledAction(a)));
          return null;
        });
    return byTarget;
  }

  @Override
  public List<ScalingActivity> describeRecentActivities(TargetKey key, int max) {
    try {
      return autoScaling
          .describeScalingActivities(
              r ->
                  r.serviceNamespace(ServiceNamespace.SAGEMAKER)
                      .resourceId(key.resourceId())
                      .scalableDimension(key.scalableDimension())
                      .maxResults(max)
                      .includeNotScaledActivities(true))
          .scalingActivities()
          .stream()
          .map(AwsMapping::scalingActivity)
          .toList();
    } catch (SdkException e) {
      // Activities are a courtesy in status; a back end without them must not fail the pass.
      return List.of();
    }
  }

  @Override
  public String registerTarget(ScalableTarget target, Map<String, String> tags, boolean create) {
    return call(
            "RegisterScalableTarget",
            () ->
                autoScaling.registerScalableTarget(AwsMapping.registerTarget(target, tags, create)))
        .scalableTargetARN();
  }

  @Override
  public String putPolicy(TargetKey key, ScalingPolicy policy) {
    return call(
            "PutScalingPolicy",
            () -> autoScaling.putScalingPolicy(AwsMapping.putPolicy(key, policy)))
        .policyARN();
  }

  @Override
  public void putAlarm(Alarm alarm, String policyArn, Map<String, String> tags) {
    call(
        "PutMetricAlarm",
        () -> cloudWatch.putMetricAlarm(AwsMapping.putAlarm(alarm, policyArn, tags)));
  }

  @Override
  public void putScheduledAction(TargetKey key, ScheduledAction action) {
    call(
        "PutScheduledAction",
        () -> autoScaling.putScheduledAction(AwsMapping.putScheduledAction(key, action)));
  }

  @Override
  public void deleteAlarms(List<String> names) {
    find("DeleteAlarms", () -> cloudWatch.deleteAlarms(AwsMapping.deleteAlarms(names)));
  }

  @Override
  public void deletePolicy(TargetKey key, String name) {
    find(
        "DeleteScalingPolicy",
        () -> autoScaling.deleteScalingPolicy(AwsMapping.deletePolicy(key, name)));
  }

  @Override
  public void deleteScheduledAction(TargetKey key, String name) {
    find(
        "DeleteScheduledAction",
        () -> autoScaling.deleteScheduledAction(AwsMapping.deleteScheduledAction(key, name)));
  }

  @Override
  public void deregisterTarget(TargetKey key) {
    find(
        "DeregisterScalableTarget",
        () -> autoScaling.deregisterScalableTarget(AwsMapping.deregisterTarget(key)));
  }

  private static <T> T call(String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw ErrorClassifier.classify(operation, e);
    }
  }

  /** A call whose not-found answer is a normal result. */
  private static <T> Optional<T> find(String operation, Supplier<T> request) {
    try {
      return Optional.ofNullable(request.get());
    } catch (SdkException e) {
      AwsApiException classified = ErrorClassifier.classify(operation, e);
      if (classified.kind() == AwsErrorKind.NOT_FOUND) {
        return Optional.empty();
      }
      throw classified;
    }
  }
}
