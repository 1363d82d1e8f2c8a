package dev.sagemaker.autoscaling.aws;

import dev.sagemaker.autoscaling.tenancy.SessionIdentity;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * Builds and caches one {@link ScalingApi} per region and identity: the operator's own, or a role
 * assumed for one resource, whose session name and tags say which resource asked (so each such
 * resource has a client set of its own, and the cache's bound applies to them). Endpoint, region
 * and credentials follow the SDK's usual sources (AWS_ENDPOINT_URL, AWS_REGION, the default
 * credential chain), so the same jar talks to AWS, moto or LocalStack.
 */
public final class AwsClientFactory implements ScalingApis, AutoCloseable {
  /** The session name of a role assumed for no particular resource. */
  static final String OPERATOR_SESSION_NAME = "sagemaker-autoscaling-operator";

  private final Settings settings;
  private final AwsCallMetrics metrics;
  private final SdkHttpClient http;

  /**
   * Times every client's API calls out. Left to itself, the SDK starts a pool of five threads per
   * client: 15 per region and role, up to 64 sets of them with per-tenant roles; the timers are
   * tiny tasks that one shared pool serves as well.
   */
  private final ScheduledExecutorService callTimeouts =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "aws-call-timeouts");
            t.setDaemon(true);
            return t;
          });

  private final ClientSetCache<Clients> cache;

  /**
   * @param endpointOverride for emulators; empty uses AWS_ENDPOINT_URL or the real endpoints
   * @param maxAttempts SDK attempts per call (standard retry mode) before the reconciler's backoff
   *     takes over
   * @param externalId sent with every AssumeRole, for trust policies that require {@code
   *     sts:ExternalId}
   */
  public record Settings(
      Optional<String> defaultRegion,
      Optional<URI> endpointOverride,
      AwsCredentialsProvider credentials,
      int maxAttempts,
      Duration callTimeout,
      Map<String, Double> rateLimits,
      Optional<String> externalId) {
    public Settings(
        Optional<String> defaultRegion,
        Optional<URI> endpointOverride,
        AwsCredentialsProvider credentials,
        int maxAttempts,
        Duration callTimeout,
        Map<String, Double> rateLimits) {
      this(
          defaultRegion,
          endpointOverride,
          credentials,
          maxAttempts,
          callTimeout,
          rateLimits,
          Optional.empty());
    }

    /** Settings for tests and tools: the default rate limits. */
    public Settings(
        Optional<String> defaultRegion,
        Optional<URI> endpointOverride,
        AwsCredentialsProvider credentials,
        int maxAttempts,
        Duration callTimeout) {
      this(
          defaultRegion,
          endpointOverride,
          credentials,
          maxAttempts,
          callTimeout,
          RateLimits.DEFAULTS);
    }

    public static Settings fromEnvironment(int maxAttempts, Map<String, Double> rateLimits) {
      return fromEnvironment(maxAttempts, rateLimits, Optional.empty());
    }

    public static Settings fromEnvironment(
        int maxAttempts, Map<String, Double> rateLimits, Optional<String> externalId) {
      Optional<String> region;
      try {
        region = Optional.of(new DefaultAwsRegionProviderChain().getRegion().id());
      } catch (RuntimeException e) {
        region = Optional.empty();
      }
      return new Settings(
          region,
          Optional.empty(),
          DefaultCredentialsProvider.builder().build(),
          maxAttempts,
          Duration.ofSeconds(30),
          rateLimits,
          externalId);
    }
  }

  /**
   * How many region/role client sets are kept, and how long an unused one lives. The expiry is well
   * above a resync period, so only sets no resource uses any more go.
   */
  public record CacheLimits(int maxSets, Duration idleExpiry) {
    public static final CacheLimits DEFAULT = new CacheLimits(64, Duration.ofHours(1));
  }

  private record Clients(SdkScalingApi api, AutoCloseable... closeables) {
    void close() {
      for (AutoCloseable c : closeables) {
        try {
          if (c != null) {
            c.close();
          }
        } catch (Exception ignored) {
          // the set is being dropped: nothing left to do with a failure
        }
      }
    }
  }

  public AwsClientFactory(Settings settings, AwsCallMetrics metrics) {
    this(settings, metrics, CacheLimits.DEFAULT, Clock.systemUTC());
  }

  public AwsClientFactory(
      Settings settings, AwsCallMetrics metrics, CacheLimits limits, Clock clock) {
    this.settings = settings;
    this.metrics = metrics;
    // Longer than any call a pass can still be making on an evicted set: every attempt timing out.
    Duration closeGrace =
        settings.callTimeout().multipliedBy(Math.max(1, settings.maxAttempts()) + 1L);
    this.cache =
        new ClientSetCache<>(
            limits.maxSets(),
            limits.idleExpiry(),
            closeGrace,
            clock,
            (clients, reason) -> metrics.clientSetEvicted(reason.tag),
            Clients::close);
    metrics.gaugeClientSets(cache::size);
    this.http =
        ApacheHttpClient.builder()
            .maxConnections(50)
            .connectionTimeout(Duration.ofSeconds(5))
            .build();
  }

  public AwsCallMetrics metrics() {
    return metrics;
  }

  @Override
  public Optional<String> defaultRegion() {
    return settings.defaultRegion();
  }

  /** As the operator itself, or as a role assumed for no particular resource (tools). */
  public ScalingApi forTarget(String region, String roleArn) {
    return forTarget(region, roleArn, null);
  }

  @Override
  public ScalingApi forTarget(String region, String roleArn, SessionIdentity session) {
    Objects.requireNonNull(region, "region");
    SessionIdentity who = roleArn == null ? null : session;
    String key =
        region
            + "|"
            + (roleArn == null ? "" : roleArn)
            + "|"
            + (who == null ? "" : who.sessionName());
    return cache.get(key, k -> build(region, roleArn, who)).api();
  }

  private Clients build(String region, String roleArn, SessionIdentity session) {
    AwsCredentialsProvider credentials = settings.credentials();
    StsClient sts = null;
    StsAssumeRoleCredentialsProvider assumed = null;
    if (roleArn != null) {
      sts =
          configure(StsClient.builder(), region, settings.credentials(), new RateLimits(Map.of()))
              .build();
      StsClient stsClient = sts;
      assumed =
          StsAssumeRoleCredentialsProvider.builder()
              .stsClient(stsClient)
              .refreshRequest(assumeRole(roleArn, session))
              .build();
      credentials = assumed;
    }
    RateLimits pacing = new RateLimits(settings.rateLimits());
    ApplicationAutoScalingClient autoScaling =
        configure(ApplicationAutoScalingClient.builder(), region, credentials, pacing).build();
    CloudWatchClient cloudWatch =
        configure(CloudWatchClient.builder(), region, credentials, pacing).build();
    SageMakerClient sageMaker =
        configure(SageMakerClient.builder(), region, credentials, pacing).build();
    return new Clients(
        new SdkScalingApi(autoScaling, cloudWatch, sageMaker),
        autoScaling,
        cloudWatch,
        sageMaker,
        assumed,
        sts);
  }

  /**
   * The AssumeRole request: the session names the resource and its tags carry namespace, name and
   * cluster, so the role's trust policy can require them ({@code aws:RequestTag/smsp-namespace})
   * and CloudTrail shows who asked; the external id when one is configured.
   */
  AssumeRoleRequest assumeRole(String roleArn, SessionIdentity session) {
    AssumeRoleRequest.Builder request = AssumeRoleRequest.builder().roleArn(roleArn);
    if (session == null) {
      request.roleSessionName(OPERATOR_SESSION_NAME);
    } else {
      request
          .roleSessionName(session.sessionName())
          .tags(
              session.tags().entrySet().stream()
                  .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                  .toList());
    }
    settings.externalId().ifPresent(request::externalId);
    return request.build();
  }

  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, String region, AwsCredentialsProvider credentials, RateLimits pacing) {
    builder
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(http)
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts())
                        .retryOnException(AwsClientFactory::isPendingUpdate)
                        .build())
                .apiCallTimeout(settings.callTimeout())
                .scheduledExecutorService(callTimeouts)
                .addExecutionInterceptor(new PageTokenGuard())
                .addExecutionInterceptor(pacing)
                .addExecutionInterceptor(metrics)
                .build());
    settings.endpointOverride().ifPresent(builder::endpointOverride);
    return builder;
  }

  /**
   * Application Auto Scaling refuses a write while an earlier one on the same scalable target is
   * still being applied, and the refusal clears within moments. The SDK's standard mode does not
   * retry it, so without this one busy target would cost a failed pass and the resource's whole
   * backoff; the write is a put or a delete, so repeating it is safe.
   */
  static boolean isPendingUpdate(Throwable failure) {
    return failure instanceof AwsServiceException service
        && service.awsErrorDetails() != null
        && "ConcurrentUpdateException".equals(service.awsErrorDetails().errorCode());
  }

  @Override
  public void close() {
    cache.closeAll();
    http.close();
    callTimeouts.shutdownNow();
  }
}
