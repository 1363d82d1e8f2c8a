package dev.sagemaker.autoscaling.reconcile;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.fake.FakeScalingApi;
import dev.sagemaker.autoscaling.plan.TargetKey;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;

/** Resources and AWS state the reconcile unit tests share: the seed example on its endpoint. */
final class Fixtures {
  static final String REGION = "eu-west-1";
  static final String ENDPOINT = "recommender-prod";
  static final TargetKey SEED_TARGET =
      TargetKey.variant(ENDPOINT, "prod", TargetKey.VARIANT_INSTANCES);

  private Fixtures() {}

  /**
   * The seed example (examples/realtime-seed.yaml) as namespace/name, with a uid and creation time.
   */
  static SageMakerScalingPolicy seed(String namespace, String name, String created) {
    try {
      SageMakerScalingPolicy resource =
          Serialization.unmarshal(
              Files.readString(Path.of("examples/realtime-seed.yaml")),
              SageMakerScalingPolicy.class);
      resource.getMetadata().setNamespace(namespace);
      resource.getMetadata().setName(name);
      resource.getMetadata().setUid(namespace + "-" + name + "-uid");
      resource.getMetadata().setGeneration(1L);
      resource.getMetadata().setCreationTimestamp(created);
      resource.getMetadata().setAnnotations(new HashMap<>());
      return resource;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SageMakerScalingPolicy seed() {
    return seed("ml", "recommender", "2026-01-01T00:00:00Z");
  }

  /** AWS with the seed's endpoint in service. */
  static FakeScalingApi awsWithSeedEndpoint() {
    return new FakeScalingApi(REGION).withEndpoint(ENDPOINT, "InService", "ml.m5.xlarge", "prod");
  }

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private Instant now;

    ManualClock(String start) {
      this.now = Instant.parse(start);
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
