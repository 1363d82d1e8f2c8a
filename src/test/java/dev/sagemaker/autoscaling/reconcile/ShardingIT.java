package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagemaker.autoscaling.testing.AwsProxy;
import dev.sagemaker.autoscaling.testing.OperatorExtension;
import dev.sagemaker.autoscaling.testing.OperatorHarness;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two operator deployments sharded by label selector (LABEL_SELECTOR): each owns only its
 * resources.
 */
class ShardingIT {
  /** The shards are started by the test, each with a selector and an AWS connection of its own. */
  @RegisterExtension final OperatorExtension fixture = OperatorExtension.withoutOperator();

  @Test
  void eachShardReconcilesOnlyItsOwnResources() throws Exception {
    AwsProxy awsA = fixture.newProxy();
    AwsProxy awsB = fixture.newProxy();
    OperatorHarness shardA =
        fixture.startOperator(Duration.ofMinutes(5), awsA.endpoint(), "shard=a");
    fixture.startOperator(Duration.ofMinutes(5), awsB.endpoint(), "shard=b");
    for (String shard : new String[] {"a", "b"}) {
      for (int i = 0; i < 3; i++) {
        String name = shard + i;
        fixture.seed(name, name, r -> r.getMetadata().setLabels(Map.of("shard", shard)));
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Stream.of("a0", "a1", "a2", "b0", "b1", "b2").allMatch(fixture::isReady));
    // Each shard registered exactly its own three targets, seen through its own AWS connection.
    assertThat(awsA.calls().get("RegisterScalableTarget")).isEqualTo(3);
    assertThat(awsB.calls().get("RegisterScalableTarget")).isEqualTo(3);
    assertThat(shardA.awsCalls().countsByOperation().get("DescribeEndpoint"))
        .isEqualTo(awsA.calls().get("DescribeEndpoint"));
    assertThat(fixture.moto().targets()).hasSize(6);
  }
}
