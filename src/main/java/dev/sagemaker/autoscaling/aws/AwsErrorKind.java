package dev.sagemaker.autoscaling.aws;

/** How the reconciler must react to an AWS error. */
public enum AwsErrorKind {
  /**
   * The object is not there; callers decide whether that is fine (deletes) or a state to wait in.
   */
  NOT_FOUND,
  /** Retrying cannot help until the spec or the permissions change. */
  TERMINAL,
  /** Throttling, server errors, timeouts, concurrent updates: retry with backoff. */
  RECOVERABLE
}
