package dev.sagemaker.autoscaling.bench;

import dev.sagemaker.autoscaling.api.v1alpha1.SageMakerScalingPolicy;
import dev.sagemaker.autoscaling.plan.DesiredState;
import dev.sagemaker.autoscaling.plan.InvalidSpecException;
import dev.sagemaker.autoscaling.plan.Owner;
import dev.sagemaker.autoscaling.plan.Planner;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants;
import dev.sagemaker.autoscaling.testing.Examples;
import dev.sagemaker.autoscaling.testing.Moto;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * N copies of the seed's stack (examples/realtime-seed.yaml), each on its own moto endpoint, spread
 * over {@value #NAMESPACES} namespaces as a platform team's tenants would be.
 */
final class Fleet {
  /** Which part of the seed each resource carries. */
  enum Variant {
    /** The whole seed: three target-tracking policies and a step policy with two alarms. */
    SEED("seed", "copies of examples/realtime-seed.yaml"),
    /**
     * The seed's three target-tracking policies only: no step policy, so no alarms (the shape ACK
     * was compared on).
     */
    TARGET_TRACKING(
        "target-tracking",
        "copies of examples/realtime-seed.yaml with its three target-tracking policies only");

    final String label;
    final String description;

    Variant(String label, String description) {
      this.label = label;
      this.description = description;
    }

    static Variant of(String label) {
      for (Variant v : values()) {
        if (v.label.equals(label)) {
          return v;
        }
      }
      throw new IllegalArgumentException(
          "BENCH_FLEET must be seed or target-tracking, not " + label);
    }
  }

  static final int NAMESPACES = 10;
  static final Path SEED = Examples.DIRECTORY.resolve("realtime-seed.yaml");

  /**
   * Set-up calls run a few at a time: moto and the API server share the 2 cores with everything
   * else.
   */
  private static final int SETUP_THREADS = 4;

  record Member(String namespace, String name, String endpointName) {
    Owner owner(String cluster) {
      return new Owner(cluster, namespace, name);
    }
  }

  private final List<Member> members;
  private final Variant variant;

  private Fleet(List<Member> members, Variant variant) {
    this.members = members;
    this.variant = variant;
  }

  static Fleet of(int n, Variant variant) {
    List<Member> members =
        IntStream.range(0, n)
            .mapToObj(
                i ->
                    new Member(
                        String.format("bench-%02d", i % NAMESPACES),
                        String.format("r-%04d", i),
                        String.format("bench-ep-%04d", i)))
            .toList();
    return new Fleet(members, variant);
  }

  List<Member> members() {
    return members;
  }

  int size() {
    return members.size();
  }

  /** The endpoints first, then the resources, so no resource has to wait for its endpoint. */
  void create(KubernetesClient client, Moto moto) throws Exception {
    members.stream()
        .map(Member::namespace)
        .distinct()
        .forEach(
            ns ->
                client
                    .namespaces()
                    .resource(
                        new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .addToAnnotations(NamespaceGrants.ALLOWED_TARGETS, "*")
                            .endMetadata()
                            .build())
                    .create());
    String productionVariant = seed("unused").getSpec().getTarget().effectiveVariantName();
    inParallel(m -> moto.createEndpoint(m.endpointName(), productionVariant, "ml.c5.2xlarge", 1));
    inParallel(m -> client.resource(resourceOf(m, variant)).create());
  }

  private void inParallel(Consumer<Member> step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Member m : members) {
        done.add(pool.submit(() -> step.accept(m)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static SageMakerScalingPolicy resourceOf(Member member, Variant variant) {
    SageMakerScalingPolicy resource = seed(member.namespace());
    resource.getMetadata().setName(member.name());
    resource.getSpec().getTarget().setEndpointName(member.endpointName());
    if (variant == Variant.TARGET_TRACKING) {
      resource.getSpec().getStepScaling().clear();
      resource.getSpec().getSchedules().clear();
    }
    return resource;
  }

  private static SageMakerScalingPolicy seed(String namespace) {
    return Examples.load(SEED, namespace);
  }

  /** The seed's first target-tracking item: the one the spec-change probe edits. */
  static String probedItem() {
    return seed("unused").getSpec().getTargetTracking().get(0).getName();
  }

  /**
   * The writes converging one resource needs: 1 register + 1 per policy + 1 per alarm + 1 per
   * schedule, computed by the operator's own planner from the seed.
   */
  static int neededWritesPerResource(String cluster, Variant variant) throws InvalidSpecException {
    Member any = new Member("bench-00", "r-0000", "bench-ep-0000");
    DesiredState desired =
        Planner.plan(resourceOf(any, variant).getSpec(), any.owner(cluster), Optional.empty())
            .desiredOrThrow();
    return 1
        + desired.policies().size()
        + desired.alarms().size()
        + desired.scheduledActions().size();
  }
}
