package dev.sagemaker.autoscaling.cli;

import dev.sagemaker.autoscaling.reconcile.NamespaceAnnotations;
import dev.sagemaker.autoscaling.tenancy.NamespaceGrants;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The namespaces' annotations from an informer, so checking the grants costs no API call per pass.
 * A namespace the informer has not seen yet (created a moment ago) is read directly once.
 */
final class NamespaceCache implements NamespaceAnnotations, AutoCloseable {
  /** The annotations whose change can turn a resource's pass from Forbidden to allowed, or back. */
  static final List<String> GRANTS =
      List.of(
          NamespaceGrants.ALLOWED_TARGETS,
          NamespaceGrants.ALLOWED_ROLES,
          NamespaceGrants.ALLOWED_REGIONS,
          NamespaceGrants.ALLOW_ADOPT);

  private final KubernetesClient client;
  private final SharedIndexInformer<Namespace> informer;

  private NamespaceCache(KubernetesClient client, SharedIndexInformer<Namespace> informer) {
    this.client = client;
    this.informer = informer;
  }

  /** Lists and watches every namespace; returns once the first list is in the cache. */
  static NamespaceCache start(KubernetesClient client) {
    return new NamespaceCache(client, client.namespaces().inform());
  }

  @Override
  public Map<String, String> of(String namespace) {
    Namespace cached = informer.getStore().getByKey(namespace);
    Namespace found = cached != null ? cached : client.namespaces().withName(namespace).get();
    if (found == null || found.getMetadata().getAnnotations() == null) {
      return Map.of();
    }
    return found.getMetadata().getAnnotations();
  }

  /**
   * Tells {@code changed} the name of every namespace whose grant annotations change, so its
   * resources get a pass at once instead of at the next resync.
   */
  void onGrantsChanged(Consumer<String> changed) {
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Namespace namespace) {
            // A new namespace's resources are new too: they get a pass of their own.
          }

          @Override
          public void onUpdate(Namespace before, Namespace after) {
            if (grantsChanged(before, after)) {
              changed.accept(after.getMetadata().getName());
            }
          }

          @Override
          public void onDelete(Namespace namespace, boolean finalStateUnknown) {
            // Its resources are deleted with it.
          }
        });
  }

  static boolean grantsChanged(Namespace before, Namespace after) {
    return GRANTS.stream()
        .anyMatch(key -> !Objects.equals(annotation(before, key), annotation(after, key)));
  }

  private static String annotation(Namespace namespace, String key) {
    Map<String, String> annotations = namespace.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  @Override
  public void close() {
    informer.close();
  }
}
