package dev.sagemaker.autoscaling.aws;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Ends a paged listing whose service hands out a page token it has handed out before in the same
 * listing. The SDK's paginators follow NextToken for as long as there is one, so such a service
 * (moto 5.2 did it for DescribeScalableTargets beyond 100 targets) would keep the background
 * inventory refresh paging the same page at full speed for ever, and with it no snapshot, so every
 * pass falls back to its own reads. Failing the listing instead leaves that to the inventory's next
 * refresh, with a log line that names the operation.
 *
 * <p>A listing is the run of requests of one operation on one thread: the request without a token
 * starts it, as the paginators do; the SDK client is synchronous, so a thread pages one listing at
 * a time.
 */
final class PageTokenGuard implements ExecutionInterceptor {
  private static final ThreadLocal<Map<String, Set<String>>> TOKENS_BY_OPERATION =
      ThreadLocal.withInitial(HashMap::new);

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    pageRequested(operation, pageToken(context.request()));
  }

  /**
   * Records the token of a page request; throws when the listing asked for that page already.
   *
   * @param token empty for the first page of a listing
   */
  static void pageRequested(String operation, Optional<String> token) {
    Map<String, Set<String>> tokens = TOKENS_BY_OPERATION.get();
    if (token.isEmpty()) {
      tokens.remove(operation);
      return;
    }
    if (!tokens.computeIfAbsent(operation, o -> new HashSet<>()).add(token.get())) {
      tokens.remove(operation);
      throw SdkClientException.create(
          operation
              + " returned a page token it had returned before in the same listing; the listing"
              + " would never end, so it stops here");
    }
  }

  private static Optional<String> pageToken(SdkRequest request) {
    // Application Auto Scaling, CloudWatch and SageMaker all name it NextToken.
    return request.getValueForField("NextToken", String.class).filter(t -> !t.isEmpty());
  }
}
