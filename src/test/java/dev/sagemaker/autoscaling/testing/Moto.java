package dev.sagemaker.autoscaling.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantInstanceType;
import java.util.List;

/** Direct SDK access to moto for test set-up and for asserting what AWS holds. */
public final class Moto implements AutoCloseable {
  public static final String REGION = "us-east-1";
  public static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  public final ApplicationAutoScalingClient autoScaling;
  public final CloudWatchClient cloudWatch;
  public final SageMakerClient sageMaker;

  public Moto(URI endpoint) {
    autoScaling = ApplicationAutoScalingClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(CREDENTIALS).build();
    cloudWatch = CloudWatchClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(CREDENTIALS).build();
    sageMaker = SageMakerClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(CREDENTIALS).build();
  }

  /** A real-time endpoint with one variant, InService at once (moto has no transitions). */
  public void createEndpoint(String name, String variant, String instanceType, int instances) {
    sageMaker.createModel(r -> r.modelName(name + "-model")
        .executionRoleArn("arn:aws:iam::123456789012:role/sagemaker")
        .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest")));
    sageMaker.createEndpointConfig(r -> r.endpointConfigName(name + "-config")
        .productionVariants(v -> v.variantName(variant).modelName(name + "-model")
            .initialInstanceCount(instances).instanceType(ProductionVariantInstanceType.fromValue(instanceType))));
    sageMaker.createEndpoint(r -> r.endpointName(name).endpointConfigName(name + "-config"));
  }

  /** A serverless endpoint whose variant has provisioned concurrency. */
  public void createServerlessEndpoint(String name, String variant, int provisionedConcurrency) {
    sageMaker.createModel(r -> r.modelName(name + "-model")
        .executionRoleArn("arn:aws:iam::123456789012:role/sagemaker")
        .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest")));
    sageMaker.createEndpointConfig(r -> r.endpointConfigName(name + "-config")
        .productionVariants(v -> v.variantName(variant).modelName(name + "-model")
            .serverlessConfig(s -> s.memorySizeInMB(2048).maxConcurrency(20).provisionedConcurrency(provisionedConcurrency))));
    sageMaker.createEndpoint(r -> r.endpointName(name).endpointConfigName(name + "-config"));
  }

  /** An inference component on an endpoint of its own (moto extension, see src/test/moto). */
  public void createInferenceComponent(String name, int copies) {
    createEndpoint(name + "-host", "AllTraffic", "ml.g4dn.xlarge", 1);
    sageMaker.createInferenceComponent(r -> r.inferenceComponentName(name).endpointName(name + "-host")
        .variantName("AllTraffic").runtimeConfig(c -> c.copyCount(copies))
        .specification(s -> s.modelName(name + "-host-model")));
  }

  /** Creates what a resource scales (endpoint, serverless endpoint or inference component), as the examples need. */
  public void createBackingResource(dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy resource) {
    var target = resource.getSpec().getTarget();
    if (target.getInferenceComponentName() != null) {
      createInferenceComponent(target.getInferenceComponentName(), 1);
    } else if (target.effectiveCapacityUnit() == dev.sagemaker.autoscaling.api.v1alpha1.CapacityUnit.ProvisionedConcurrency) {
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
    return autoScaling.describeScalableTargets(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER)).scalableTargets();
  }

  public List<ScalingPolicy> policies() {
    return autoScaling.describeScalingPolicies(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER)).scalingPolicies();
  }

  public List<MetricAlarm> alarms() {
    return cloudWatch.describeAlarms().metricAlarms();
  }

  public List<software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction> scheduledActions() {
    return autoScaling.describeScheduledActions(r -> r.serviceNamespace(ServiceNamespace.SAGEMAKER)).scheduledActions();
  }

  @Override
  public void close() {
    autoScaling.close();
    cloudWatch.close();
    sageMaker.close();
  }
}
