package dev.sagemaker.autoscaling.aws;

import dev.sagemaker.autoscaling.tenancy.SessionIdentity;
import java.util.Optional;

/**
 * Hands out the {@link ScalingApi} of one region and identity; the reconciler's only way to AWS.
 */
public interface ScalingApis {

  /**
   * @param region the region to call, never null: resolve it with {@link #defaultRegion()} first
   * @param roleArn a role to assume, or null for the operator's own identity
   * @param session who the calls are for: the session name and tags of the assumed role; unused
   *     without a role
   */
  ScalingApi forTarget(String region, String roleArn, SessionIdentity session);

  /**
   * The region a resource without spec.aws.region uses: the pod's, when the SDK can resolve one.
   */
  Optional<String> defaultRegion();
}
