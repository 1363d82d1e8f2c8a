package dev.sagemaker.autoscaling.aws;

import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sorts AWS failures into not-found, terminal and recoverable. The SDK already retried throttling
 * and 5xx a few times before this sees them; what is recoverable here is retried again by the
 * reconciler with its own backoff.
 */
final class ErrorClassifier {
  /**
   * Codes that clear up by themselves. The SDK retries none of them but ConcurrentUpdateException
   * (see {@link AwsClientFactory#isPendingUpdate}); what is still failing after its attempts is
   * left to the reconciler's backoff.
   */
  private static final Set<String> RECOVERABLE_CODES =
      Set.of(
          "ConcurrentUpdateException",
          "LimitExceededException",
          "LimitExceeded",
          "InternalServiceException",
          "InternalFailure",
          "ServiceUnavailable",
          "ResourceInUse");

  private static final Set<String> NOT_FOUND_CODES =
      Set.of("ObjectNotFoundException", "ResourceNotFoundException", "ResourceNotFound");

  private ErrorClassifier() {}

  static AwsApiException classify(String operation, SdkException e) {
    if (e instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      String message =
          service.awsErrorDetails() == null
              ? service.getMessage()
              : service.awsErrorDetails().errorMessage();
      return new AwsApiException(
          kindOf(service, code, message), operation, code, String.valueOf(message), e);
    }
    if (e instanceof SdkClientException) {
      return new AwsApiException(AwsErrorKind.RECOVERABLE, operation, null, e.getMessage(), e);
    }
    return new AwsApiException(AwsErrorKind.RECOVERABLE, operation, null, e.getMessage(), e);
  }

  private static AwsErrorKind kindOf(AwsServiceException e, String code, String message) {
    // Set.of rejects null lookups, and an error without details has no code.
    if (e.isThrottlingException()
        || e.statusCode() >= 500
        || (code != null && RECOVERABLE_CODES.contains(code))) {
      return AwsErrorKind.RECOVERABLE;
    }
    if ((code != null && NOT_FOUND_CODES.contains(code)) || isNotFoundValidation(code, message)) {
      return AwsErrorKind.NOT_FOUND;
    }
    return AwsErrorKind.TERMINAL;
  }

  /**
   * SageMaker reports a missing endpoint as a ValidationException ("Could not find endpoint"), and
   * moto does the same for missing targets and policies where AWS says ObjectNotFoundException.
   */
  private static boolean isNotFoundValidation(String code, String message) {
    if (!"ValidationException".equals(code) || message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return m.startsWith("could not find")
        || m.startsWith("no scalable target found")
        || m.startsWith("no scaling policy found");
  }
}
