package dev.sagemaker.autoscaling.reconcile;

import static dev.sagemaker.autoscaling.testing.OperatorHarness.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.testing.AwsProxy;
import dev.sagemaker.autoscaling.testing.Examples;
import dev.sagemaker.autoscaling.testing.Moto;
import dev.sagemaker.autoscaling.testing.OperatorHarness;
import dev.sagemaker.autoscaling.testing.TestEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two operator deployments sharded by label selector (LABEL_SELECTOR): each owns only its resources. */
@ExtendWith(TestEnvironment.class)
class ShardingIT {
  @Test
  void eachShardReconcilesOnlyItsOwnResources() throws Exception {
    TestEnvironment.resetMoto();
    String namespace = OperatorHarness.newNamespace();
    try (Moto moto = new Moto(TestEnvironment.motoEndpoint());
        AwsProxy awsA = new AwsProxy(TestEnvironment.motoEndpoint());
        AwsProxy awsB = new AwsProxy(TestEnvironment.motoEndpoint());
        OperatorHarness shardA = OperatorHarness.start(Duration.ofMinutes(5), awsA.endpoint(), namespace, "shard=a");
        OperatorHarness shardB = OperatorHarness.start(Duration.ofMinutes(5), awsB.endpoint(), namespace, "shard=b")) {
      for (String shard : new String[] {"a", "b"}) {
        for (int i = 0; i < 3; i++) {
          String name = shard + i;
          moto.createEndpoint(name, "prod", "ml.c5.2xlarge", 1);
          SageMakerScalingPolicy r = Examples.load(Path.of("examples/realtime-seed.yaml"), namespace);
          r.getMetadata().setName(name);
          r.getMetadata().setLabels(Map.of("shard", shard));
          r.getSpec().getTarget().setEndpointName(name);
          TestEnvironment.client().resource(r).create();
        }
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> java.util.stream.Stream.of("a0", "a1", "a2", "b0", "b1", "b2")
          .allMatch(n -> isTrue(shardA.get(n), "Ready")));
      // Each shard registered exactly its own three targets, seen through its own AWS connection.
      assertThat(awsA.calls().get("RegisterScalableTarget")).isEqualTo(3);
      assertThat(awsB.calls().get("RegisterScalableTarget")).isEqualTo(3);
      assertThat(shardA.awsCalls().countsByOperation().get("DescribeEndpoint")).isEqualTo(awsA.calls().get("DescribeEndpoint"));
      assertThat(moto.targets()).hasSize(6);
    }
  }
}
