package dev.sagemaker.autoscaling.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnreadableResourcesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final UnreadableResources unreadable = new UnreadableResources(registry);
  private final KubernetesSerialization serialization = unreadable.serialization();

  private static String resource(String name, String uid, String change) {
    return """
{"apiVersion": "autoscaling.sagemaker.dev/v1alpha1", "kind": "SageMakerScalingPolicy",
 "metadata": {"name": "%s", "namespace": "team-a", "uid": "%s", "resourceVersion": "7",
              "managedFields": [{"manager": "kubectl", "operation": "Apply", "fieldsType": "FieldsV1",
                                 "fieldsV1": {"f:spec": {}}}]},
 "spec": {"modelType": "RealTime", "target": {"endpointName": "e"}, "minCapacity": 1, "maxCapacity": 2,
          "stepScaling": [{"name": "cpu", "metric": "CPUUtilization",
                           "steps": [{"upper": 30, "change": -1}, {"lower": 70, "change": %s}]}]}}
"""
        .formatted(name, uid, change);
  }

  @Test
  void aValueTheModelCannotHoldGivesAResourceWithoutSpecAndNamesTheField() {
    SageMakerScalingPolicy read =
        serialization.unmarshal(
            resource("bad", "uid-1", "3000000000"), SageMakerScalingPolicy.class);

    assertThat(read.getSpec()).isNull();
    assertThat(read.getMetadata().getName()).isEqualTo("bad");
    assertThat(unreadable.isReadable(read)).isFalse();
    UnreadableResources.Problem problem = unreadable.problemOf(read).orElseThrow();
    assertThat(problem.field()).isEqualTo("spec.stepScaling[0].steps[1].change");
    assertThat(problem.message()).contains("3000000000");
    assertThat(unreadable.current()).isEqualTo(1);
    assertThat(registry.get("smsp_unreadable_resource_versions").counter().count()).isEqualTo(1);
  }

  @Test
  void oneUnreadableItemDoesNotFailTheList() {
    String list =
        """
{"apiVersion": "autoscaling.sagemaker.dev/v1alpha1", "kind": "SageMakerScalingPolicyList", "metadata": {},
 "items": [%s, %s]}"""
            .formatted(resource("bad", "uid-1", "3000000000"), resource("good", "uid-2", "1"));

    KubernetesResourceList<SageMakerScalingPolicy> read =
        serialization.unmarshal(
            new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)),
            new TypeReference<DefaultKubernetesResourceList<SageMakerScalingPolicy>>() {});

    List<SageMakerScalingPolicy> items = read.getItems();
    assertThat(items).extracting(r -> r.getMetadata().getName()).containsExactly("bad", "good");
    assertThat(unreadable.isReadable(items.get(0))).isFalse();
    assertThat(unreadable.isReadable(items.get(1))).isTrue();
    assertThat(items.get(1).getSpec().getStepScaling().get(0).getSteps().get(1).getChange())
        .isEqualTo(1);
  }

  @Test
  void aCorrectedVersionIsReadableAgain() {
    serialization.unmarshal(resource("bad", "uid-1", "3000000000"), SageMakerScalingPolicy.class);
    SageMakerScalingPolicy fixed =
        serialization.unmarshal(resource("bad", "uid-1", "2"), SageMakerScalingPolicy.class);

    assertThat(unreadable.isReadable(fixed)).isTrue();
    assertThat(unreadable.current()).isZero();
  }

  @Test
  void cachedObjectsCarryNoManagedFields() {
    SageMakerScalingPolicy read =
        serialization.unmarshal(resource("good", "uid-2", "1"), SageMakerScalingPolicy.class);

    assertThat(read.getSpec()).isNotNull();
    assertThat(read.getMetadata().getManagedFields()).isNullOrEmpty();
  }

  @Test
  void aManifestWithoutUidStillFailsAsBefore() {
    String manifest = resource("bad", "uid-1", "3000000000").replace("\"uid\": \"uid-1\",", "");

    assertThatThrownBy(() -> serialization.unmarshal(manifest, SageMakerScalingPolicy.class))
        .hasStackTraceContaining("3000000000");
  }

  @Test
  void stringsReadThroughTheSharedWordsAreTheStringsWritten() {
    String annotation = "x".repeat(UnreadableResources.SharedShortStrings.MAX_LENGTH + 10);
    String manifest =
        resource("good", "uid-2", "1")
            .replace(
                "\"resourceVersion\": \"7\",",
                "\"resourceVersion\": \"7\", \"labels\": {\"team\": \"a\"},"
                    + " \"annotations\": {\"note\": \""
                    + annotation
                    + "\"}, \"finalizers\": [\"f/one\", \"f/two\"],");

    SageMakerScalingPolicy read = serialization.unmarshal(manifest, SageMakerScalingPolicy.class);
    SageMakerScalingPolicy again =
        serialization.unmarshal(serialization.asJson(read), SageMakerScalingPolicy.class);

    assertThat(read.getMetadata().getLabels()).containsExactly(Map.entry("team", "a"));
    assertThat(read.getMetadata().getAnnotations()).containsEntry("note", annotation);
    assertThat(read.getMetadata().getFinalizers()).containsExactly("f/one", "f/two");
    assertThat(read.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(read.getSpec().getStepScaling().get(0).getName()).isEqualTo("cpu");
    assertThat(again).isEqualTo(read);
  }
}
