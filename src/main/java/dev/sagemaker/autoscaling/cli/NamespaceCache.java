package dev.sagemaker.autoscaling.cli;

import dev.sagemaker.autoscaling.reconcile.NamespaceAnnotations;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;

/**
 * The namespaces' annotations from an informer, so checking the grants costs no API call per pass.
 * A namespace the informer has not seen yet (created a moment ago) is read directly once.
 */
final class NamespaceCache implements NamespaceAnnotations, AutoCloseable {
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

  @Override
  public void close() {
    informer.close();
  }
}
