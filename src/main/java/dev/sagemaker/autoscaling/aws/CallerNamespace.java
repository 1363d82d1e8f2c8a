package dev.sagemaker.autoscaling.aws;

import java.util.function.Supplier;

/**
 * The namespace whose resource the current thread is working for, so {@link RateLimits} can share
 * the account's pacing fairly between namespaces without every {@link ScalingApi} method carrying
 * it. A thread-local is enough because the SDK's synchronous clients run their interceptors on the
 * calling thread; it is set only for the duration of {@link #callingFor} and restored in a finally,
 * so a pooled reconciler thread never carries one namespace into another's pass. Calls made outside
 * (the shared inventory refresh) share one lane of their own.
 */
public final class CallerNamespace {
  /** The lane of calls made for no namespace in particular. */
  static final String OPERATOR = "";

  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private CallerNamespace() {}

  /** Runs {@code work} with its AWS calls paced in {@code namespace}'s lane. */
  public static <T> T callingFor(String namespace, Supplier<T> work) {
    String outer = CURRENT.get();
    CURRENT.set(namespace == null ? OPERATOR : namespace);
    try {
      return work.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  static String current() {
    String namespace = CURRENT.get();
    return namespace == null ? OPERATOR : namespace;
  }
}
