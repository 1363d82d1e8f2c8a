package dev.sagemaker.autoscaling.aws;

/** An AWS call that failed, classified, with the parts a status message needs. */
public class AwsApiException extends RuntimeException {
  private final AwsErrorKind kind;
  private final String operation;
  private final String errorCode;

  public AwsApiException(
      AwsErrorKind kind, String operation, String errorCode, String message, Throwable cause) {
    super(operation + " failed: " + (errorCode == null ? "" : errorCode + ": ") + message, cause);
    this.kind = kind;
    this.operation = operation;
    this.errorCode = errorCode;
  }

  public AwsErrorKind kind() {
    return kind;
  }

  public String operation() {
    return operation;
  }

  public String errorCode() {
    return errorCode;
  }
}
