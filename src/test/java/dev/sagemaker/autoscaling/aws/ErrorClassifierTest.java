package dev.sagemaker.autoscaling.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** How each AWS failure is sorted: wait for a change, retry with backoff, or treat as absent. */
class ErrorClassifierTest {

  private static AwsServiceException service(int status, String code, String message) {
    return AwsServiceException.builder()
        .statusCode(status)
        .message(message)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  @ParameterizedTest(name = "{0} {1} is {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "400 | ThrottlingException           | Rate exceeded                                 |"
            + " RECOVERABLE",
        "400 | Throttling                    | Rate exceeded                                 |"
            + " RECOVERABLE",
        "500 | InternalFailure               | oops                                          |"
            + " RECOVERABLE",
        "503 | ServiceUnavailable            | later                                         |"
            + " RECOVERABLE",
        "400 | ConcurrentUpdateException     | another update is in progress                 |"
            + " RECOVERABLE",
        "400 | LimitExceededException        | too many                                      |"
            + " RECOVERABLE",
        "400 | ObjectNotFoundException       | No scalable target registered                 |"
            + " NOT_FOUND",
        "404 | ResourceNotFound              | alarm does not exist                          |"
            + " NOT_FOUND",
        "400 | ValidationException           | Could not find endpoint \"x\".                |"
            + " NOT_FOUND",
        "400 | ValidationException           | No scalable target found for service namespace |"
            + " NOT_FOUND",
        "400 | ValidationException           | MinCapacity must be less than MaxCapacity      |"
            + " TERMINAL",
        "400 | AccessDeniedException         | not authorized to perform                      |"
            + " TERMINAL",
        "400 | FailedResourceAccessException | could not assume the service-linked role       |"
            + " TERMINAL",
      })
  void sortsServiceErrorsByCodeAndStatus(
      int status, String code, String message, AwsErrorKind kind) {
    AwsApiException classified =
        ErrorClassifier.classify("PutScalingPolicy", service(status, code, message));

    assertThat(classified.kind()).isEqualTo(kind);
    assertThat(classified.operation()).isEqualTo("PutScalingPolicy");
    assertThat(classified.errorCode()).isEqualTo(code);
    assertThat(classified.getMessage())
        .startsWith("PutScalingPolicy failed: " + code + ": ")
        .contains(message);
  }

  @Test
  void clientSideFailuresLikeTimeoutsAreRetried() {
    AwsApiException classified =
        ErrorClassifier.classify(
            "DescribeAlarms",
            SdkClientException.create("Unable to execute HTTP request: Read timed out"));

    assertThat(classified.kind()).isEqualTo(AwsErrorKind.RECOVERABLE);
    assertThat(classified.errorCode()).isNull();
    assertThat(classified.getMessage()).contains("Read timed out");
  }

  @Test
  void aServiceErrorWithoutDetailsStillNamesItsOperation() {
    AwsServiceException bare =
        AwsServiceException.builder().statusCode(403).message("Forbidden").build();

    AwsApiException classified = ErrorClassifier.classify("TagResource", bare);

    assertThat(classified.kind()).isEqualTo(AwsErrorKind.TERMINAL);
    assertThat(classified.getMessage()).startsWith("TagResource failed: ").contains("Forbidden");
  }
}
