package dev.sagemaker.autoscaling.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The glob matcher against a reference built from java.util.regex with every literal quoted, over
 * small alphabets (so patterns and texts overlap often) that include regex syntax.
 */
class GlobProperties {
  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.strings().withChars("ab*.+?[]()\\$^|{}-").ofMaxLength(8);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars("ab*.+?[]()\\$^|{}-\n").ofMaxLength(12);
  }

  @Property(tries = 3000)
  void matchesLikeTheQuotedRegexReference(
      @ForAll("patterns") String pattern, @ForAll("texts") String text) {
    assertThat(Glob.matches(pattern, text))
        .as("glob %s on %s", pattern, text)
        .isEqualTo(reference(pattern, text));
  }

  @Property
  void aPatternWithoutStarMatchesOnlyItself(
      @ForAll("texts") String pattern, @ForAll("texts") String text) {
    String literal = pattern.replace("*", "");
    assertThat(Glob.matches(literal, literal)).isTrue();
    assertThat(Glob.matches(literal, text)).isEqualTo(literal.equals(text));
  }

  @Property
  void starMatchesEverything(@ForAll("texts") String text) {
    assertThat(Glob.matches("*", text)).isTrue();
  }

  @Property
  void aPrefixPatternMatchesExactlyTheTextsWithThatPrefix(
      @ForAll("texts") String prefix, @ForAll("texts") String text) {
    String literal = prefix.replace("*", "");
    assertThat(Glob.matches(literal + "*", text)).isEqualTo(text.startsWith(literal));
  }

  @Example
  void manyStarsStayFast() {
    // A backtracking regex would take exponential time here; the scan is quadratic at worst.
    String pattern = "*a".repeat(30) + "b";
    String text = "a".repeat(2000);
    assertThat(Glob.matches(pattern, text)).isFalse();
  }

  private static boolean reference(String pattern, String text) {
    // Each '*' becomes ".*"; everything between stars is quoted, so it matches only itself.
    StringBuilder regex = new StringBuilder();
    String[] literals = pattern.split("\\*", -1);
    for (int i = 0; i < literals.length; i++) {
      regex.append(i == 0 ? "" : ".*").append(Pattern.quote(literals[i]));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text).matches();
  }
}
