package dev.sagemaker.autoscaling.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Counts as EC2 publishes them for the instance type of the same name
 * (aws.amazon.com/ec2/instance-types).
 */
class InstanceTypesTest {

  @ParameterizedTest
  @CsvSource({
    "ml.t2.medium, 2",
    "ml.t3.medium, 2",
    "ml.c6g.medium, 1",
    "ml.m5.large, 2",
    "ml.m5.xlarge, 4",
    "ml.c4.2xlarge, 8",
    "ml.c4.4xlarge, 16",
    "ml.c4.8xlarge, 36",
    "ml.c5.2xlarge, 8",
    "ml.c5.9xlarge, 36",
    "ml.c5.18xlarge, 72",
    "ml.m4.10xlarge, 40",
    "ml.m4.16xlarge, 64",
    "ml.m5.24xlarge, 96",
    "ml.g4dn.12xlarge, 48",
    "ml.g5.48xlarge, 192",
    "ml.p3.16xlarge, 64",
    "ml.p4d.24xlarge, 96",
    "ml.inf1.6xlarge, 24",
    "ml.inf2.48xlarge, 192"
  })
  void vcpusAreEc2sPublishedCounts(String type, int vcpus) {
    assertThat(InstanceTypes.vcpus(type)).contains(vcpus);
  }

  @ParameterizedTest
  @CsvSource({
    "ml.g4dn.xlarge, 1",
    "ml.g4dn.12xlarge, 4",
    "ml.g5.48xlarge, 8",
    "ml.p2.16xlarge, 16",
    "ml.p3.2xlarge, 1",
    "ml.p3.8xlarge, 4",
    "ml.p3dn.24xlarge, 8",
    "ml.p4d.24xlarge, 8",
    "ml.p5.48xlarge, 8"
  })
  void gpusAreEc2sPublishedCounts(String type, int gpus) {
    assertThat(InstanceTypes.gpus(type)).contains(gpus);
  }

  @ParameterizedTest
  @CsvSource({"ml.m5.metal", "c5.large", "ml.c5.2large", "ml.c5"})
  void namesThatAreNotInstanceTypesHaveNoCount(String type) {
    assertThat(InstanceTypes.vcpus(type)).isEqualTo(Optional.empty());
  }
}
