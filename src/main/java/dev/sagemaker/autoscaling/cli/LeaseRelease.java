package dev.sagemaker.autoscaling.cli;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the leader-election Lease up when the operator stops, as client-go's {@code
 * ReleaseOnCancel} does: JOSDK 5.2.3 builds fabric8's elector with {@code releaseOnCancel=false}
 * and offers no way to change it, so without this a standby waits out the lease duration (15 s) on
 * every rolling update.
 */
final class LeaseRelease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;

  LeaseRelease(KubernetesClient client, String namespace, String name, String identity) {
    this.client = client;
    this.namespace = namespace != null ? namespace : client.getConfiguration().getNamespace();
    this.name = name;
    this.identity = identity;
  }

  /** The identity JOSDK would choose: the pod name, else a random one. */
  static String defaultIdentity() {
    String hostname = System.getenv("HOSTNAME");
    return hostname == null || hostname.isBlank() ? UUID.randomUUID().toString() : hostname;
  }

  /**
   * Empties the holder if this instance still holds the Lease. The update carries the
   * resourceVersion it read, so a Lease another replica took meanwhile is left alone (the API
   * server answers 409).
   */
  void release() {
    if (namespace == null) {
      return;
    }
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      // What fabric8's LeaderElector#release writes: no holder, a one-second lease, renewed now.
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      client.leases().inNamespace(namespace).resource(lease).update();
      LOG.info("released the leader-election Lease {}/{}", namespace, name);
    } catch (KubernetesClientException e) {
      // The Lease then expires as before: a slower hand-over, never a wrong one.
      LOG.warn(
          "could not release the leader-election Lease {}/{}: {}", namespace, name, e.getMessage());
    }
  }
}
