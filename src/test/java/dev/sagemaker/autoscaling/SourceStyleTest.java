package dev.sagemaker.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the formatter (spotless, google-java-format, run by {@code mvn verify}) cannot enforce:
 * types are imported, not written out inline. A fully qualified name is allowed only where its
 * simple name clashes with another type the file already uses (our domain {@code ScalableTarget}
 * next to the SDK's, for instance).
 */
class SourceStyleTest {
  private static final List<Path> ROOTS =
      List.of(Path.of("src/main/java"), Path.of("src/test/java"), Path.of("src/build"));
  private static final Pattern QUALIFIED =
      Pattern.compile(
          "(?<![\\w.])((?:java|javax|io|software|dev|org|com|picocli)(?:\\.[a-z][a-z0-9_]*)+)\\.([A-Z]\\w*)");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.(\\w+);");
  private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

  @Test
  void typesAreImportedNotWrittenOutInline() throws IOException {
    List<String> offences = new ArrayList<>();
    for (Path root : ROOTS) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          offences.addAll(inlineQualifiedNames(file));
        }
      }
    }
    assertThat(offences).as("fully qualified type names outside imports").isEmpty();
  }

  private static List<String> inlineQualifiedNames(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    Set<String> taken = new HashSet<>();
    try (Stream<Path> siblings = Files.list(file.getParent())) {
      siblings.map(p -> p.getFileName().toString().replace(".java", "")).forEach(taken::add);
    }
    for (String line : lines) {
      Matcher imported = IMPORT.matcher(line);
      if (imported.find()) {
        taken.add(imported.group(2));
      }
    }
    List<String> offences = new ArrayList<>();
    boolean inComment = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (inComment || line.startsWith("/*")) {
        inComment = !line.contains("*/");
        continue;
      }
      if (line.startsWith("import ")
          || line.startsWith("package ")
          || line.startsWith("//")
          || line.startsWith("*")) {
        continue;
      }
      String code = STRING.matcher(line.replaceAll("//.*$", "")).replaceAll("\"\"");
      Matcher qualified = QUALIFIED.matcher(code);
      while (qualified.find()) {
        String simple = qualified.group(2);
        String fullName = qualified.group(1) + "." + simple;
        boolean clash = taken.contains(simple) && !importsExactly(lines, fullName);
        if (!clash) {
          offences.add(file + ":" + (i + 1) + ": " + fullName);
        }
      }
    }
    return offences;
  }

  private static boolean importsExactly(List<String> lines, String fullName) {
    return lines.contains("import " + fullName + ";");
  }
}
