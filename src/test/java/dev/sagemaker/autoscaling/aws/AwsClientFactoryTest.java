package dev.sagemaker.autoscaling.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sagemaker.autoscaling.tenancy.SessionIdentity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * The client sets by region and role stay bounded: least recently used and idle sets are evicted,
 * closed and counted. Clients are built against a loopback endpoint and never called.
 */
class AwsClientFactoryTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/team-a";

  private final MutableClock clock = new MutableClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AwsClientFactory factory =
      new AwsClientFactory(
          new AwsClientFactory.Settings(
              Optional.of("us-east-1"),
              Optional.of(URI.create("http://127.0.0.1:9")),
              StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
              1,
              Duration.ofSeconds(1)),
          new AwsCallMetrics(registry),
          new AwsClientFactory.CacheLimits(2, Duration.ofMinutes(30)),
          clock);

  @AfterEach
  void close() {
    factory.close();
  }

  @Test
  void aRoleIsAssumedAsTheResourceWithItsSessionTagsAndTheExternalId() {
    SessionIdentity session = SessionIdentity.of("prod", "team-a", "recommender");
    AwsClientFactory withExternalId =
        new AwsClientFactory(
            new AwsClientFactory.Settings(
                Optional.of("us-east-1"),
                Optional.of(URI.create("http://127.0.0.1:9")),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")),
                1,
                Duration.ofSeconds(1),
                RateLimits.DEFAULTS,
                Optional.of("team-a-secret")),
            new AwsCallMetrics(new SimpleMeterRegistry()));
    try (withExternalId) {
      AssumeRoleRequest request = withExternalId.assumeRole(ROLE, session);

      assertThat(request.roleArn()).isEqualTo(ROLE);
      assertThat(request.roleSessionName()).isEqualTo("smsp.team-a.recommender");
      assertThat(request.tags())
          .extracting(Tag::key, Tag::value)
          .containsExactlyInAnyOrder(
              tuple(SessionIdentity.TAG_NAMESPACE, "team-a"),
              tuple(SessionIdentity.TAG_NAME, "recommender"),
              tuple(SessionIdentity.TAG_CLUSTER, "prod"));
      assertThat(request.externalId()).isEqualTo("team-a-secret");
    }
    assertThat(factory.assumeRole(ROLE, session).externalId()).as("none configured").isNull();
    assertThat(factory.assumeRole(ROLE, null).roleSessionName())
        .isEqualTo(AwsClientFactory.OPERATOR_SESSION_NAME);
    assertThat(factory.assumeRole(ROLE, null).tags()).isEmpty();
  }

  @Test
  void eachResourceThatAssumesARoleHasItsOwnSessionAndWithoutARoleTheyShare() {
    SessionIdentity a = SessionIdentity.of("prod", "team-a", "one");
    SessionIdentity b = SessionIdentity.of("prod", "team-a", "two");

    ScalingApi asA = factory.forTarget("eu-west-1", ROLE, a);

    assertThat(factory.forTarget("eu-west-1", ROLE, a)).isSameAs(asA);
    assertThat(factory.forTarget("eu-west-1", ROLE, b)).isNotSameAs(asA);
    assertThat(factory.forTarget("eu-west-1", null, a))
        .as("the operator's own identity carries no session")
        .isSameAs(factory.forTarget("eu-west-1", null, b));
  }

  @Test
  void aRegionAndRoleKeepTheirClientsWhileInUse() {
    ScalingApi first = factory.forTarget("eu-west-1", ROLE);
    clock.advance(Duration.ofMinutes(20));
    ScalingApi again = factory.forTarget("eu-west-1", ROLE);
    clock.advance(Duration.ofMinutes(20));

    assertThat(factory.forTarget("eu-west-1", ROLE)).isSameAs(first).isSameAs(again);
    assertThat(factory.forTarget("eu-west-1", null))
        .as("no role is another set")
        .isNotSameAs(first);
    assertThat(evicted("size") + evicted("idle")).isZero();
  }

  @Test
  void theLeastRecentlyUsedSetGoesWhenTheCacheIsFull() {
    ScalingApi a = factory.forTarget("eu-west-1", null);
    ScalingApi b = factory.forTarget("eu-west-2", null);
    assertThat(factory.forTarget("eu-west-1", null)).isSameAs(a);

    factory.forTarget("eu-west-3", null);

    assertThat(evicted("size")).isEqualTo(1);
    assertThat(registry.get("smsp_aws_client_sets").gauge().value()).isEqualTo(2);
    assertThat(factory.forTarget("eu-west-1", null)).as("used recently, kept").isSameAs(a);
    assertThat(factory.forTarget("eu-west-2", null)).as("evicted, built again").isNotSameAs(b);
  }

  @Test
  void aSetUnusedForTheIdleExpiryGoes() {
    ScalingApi idle = factory.forTarget("eu-west-1", ROLE);
    clock.advance(Duration.ofMinutes(29));
    factory.forTarget("eu-west-2", null);
    clock.advance(Duration.ofMinutes(2));

    factory.forTarget("eu-west-2", null);

    assertThat(evicted("idle")).isEqualTo(1);
    assertThat(registry.get("smsp_aws_client_sets").gauge().value()).isEqualTo(1);
    assertThat(factory.forTarget("eu-west-1", ROLE)).isNotSameAs(idle);
  }

  @Test
  void anEvictedSetIsClosedOnlyAfterTheGraceSoAPassStillUsingItFinishes() {
    List<String> evicted = new ArrayList<>();
    List<String> closed = new ArrayList<>();
    ClientSetCache<String> cache =
        new ClientSetCache<>(
            2,
            Duration.ofMinutes(30),
            Duration.ofMinutes(2),
            clock,
            (set, reason) -> evicted.add(set + ":" + reason.tag),
            closed::add);

    cache.get("a", k -> "A");
    cache.get("b", k -> "B");
    cache.get("c", k -> "C");
    assertThat(evicted).containsExactly("A:size");
    assertThat(closed).as("within the grace").isEmpty();

    clock.advance(Duration.ofHours(1));
    cache.get("d", k -> "D");
    assertThat(evicted).containsExactly("A:size", "B:idle", "C:idle");
    assertThat(closed).containsExactly("A");

    cache.closeAll();
    assertThat(closed).containsExactly("A", "B", "C", "D");
    assertThat(cache.size()).isZero();
  }

  private double evicted(String reason) {
    var counter = registry.find("smsp_aws_client_sets_evicted").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-12-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
