package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * For any arrivals and departures of passes over several namespaces and any number T of threads,
 * what {@link PassAdmission} promises: never more than T passes; a namespace with nothing in flight
 * admitted whenever fewer than T run; a namespace with passes in flight admitted only if a thread
 * stays free afterwards and it stays within ceil((T − 1) / active namespaces); a namespace alone
 * gets T − 1 threads. The model below counts passes itself, so a miscount in the class shows.
 */
class PassAdmissionProperties {

  /**
   * A step: namespace number {@code namespace} asks for a pass ({@code arrive}) or, if it has any,
   * ends its oldest one.
   */
  record Step(int namespace, boolean arrive) {}

  @Property(tries = 500)
  void admissionsKeepEveryPromise(
      @ForAll @IntRange(min = 1, max = 16) int threads,
      @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 5) Integer> namespaces,
      @ForAll @Size(min = 1, max = 300) List<Boolean> arrivals) {
    PassAdmission admission =
        new PassAdmission(threads, new ReconcileMetrics(new SimpleMeterRegistry()));
    Map<String, Integer> model = new HashMap<>();
    int steps = Math.min(namespaces.size(), arrivals.size());
    List<Step> script = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      script.add(new Step(namespaces.get(i), arrivals.get(i)));
    }
    for (Step step : script) {
      String namespace = "ns" + step.namespace();
      int own = model.getOrDefault(namespace, 0);
      int total = model.values().stream().mapToInt(Integer::intValue).sum();
      if (!step.arrive()) {
        if (own > 0) {
          admission.leave(namespace);
          model.merge(namespace, -1, Integer::sum);
          model.remove(namespace, 0);
        }
        continue;
      }
      boolean alone = model.isEmpty() || model.keySet().equals(Set.of(namespace));
      boolean admitted = admission.tryEnter(namespace);
      if (admitted) {
        model.merge(namespace, 1, Integer::sum);
      }
      int after = total + (admitted ? 1 : 0);

      assertThat(after)
          .as("passes in flight never exceed the threads")
          .isLessThanOrEqualTo(threads);
      if (own == 0 && total < threads) {
        assertThat(admitted).as("a namespace with nothing in flight is admitted").isTrue();
      }
      if (admitted && own > 0) {
        assertThat(after)
            .as("a busy namespace never takes the last free thread")
            .isLessThanOrEqualTo(threads - 1);
        int active = model.size();
        assertThat(own + 1)
            .as("a busy namespace stays within its share")
            .isLessThanOrEqualTo(Math.max(1, (threads - 1 + active - 1) / active));
      }
      if (alone && own + 1 <= threads - 1) {
        assertThat(admitted).as("a namespace alone uses all threads but one").isTrue();
      }
      assertThat(admission.inFlight(namespace)).isEqualTo(model.getOrDefault(namespace, 0));
      assertThat(admission.inFlight()).isEqualTo(after);
    }
  }
}
