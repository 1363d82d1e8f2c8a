package dev.sagemaker.autoscaling.tenancy;

/**
 * Glob patterns where {@code *} stands for any run of characters (including none) and every other
 * character stands for itself. Matching is a direct scan, not a regular expression, so a pattern
 * from a namespace annotation cannot inject regex syntax, and it runs in O(pattern × text) at
 * worst.
 */
public final class Glob {
  private Glob() {}

  public static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    // Where the last '*' was and which text position it is currently taken to end at; on a
    // mismatch the star swallows one more character and matching resumes after it.
    int star = -1;
    int starText = 0;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        starText = t;
      } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
