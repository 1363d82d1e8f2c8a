package dev.sagemaker.autoscaling.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's "Status and conditions" table is the users' list of reasons: it and {@link Reason}
 * agree both ways.
 */
class ReasonTableTest {
  private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\| (`(\\w+)`|Event) \\|");

  /** Reason name to the condition the table gives it ("Event" for Event-only reasons). */
  private static Map<String, String> readmeTable() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("README.md"));
    int start = lines.indexOf("## Status and conditions");
    assertThat(start).as("README has a Status and conditions section").isNotNegative();
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        rows.put(row.group(1), row.group(3) != null ? row.group(3) : "Event");
      }
    }
    return rows;
  }

  @Test
  void everyReasonIsInTheReadmeWithItsConditionAndNothingElseIs() throws IOException {
    Map<String, String> expected =
        Arrays.stream(Reason.values())
            .collect(
                Collectors.toMap(
                    Reason::name,
                    r ->
                        r.condition() == Reason.Condition.EVENT_ONLY
                            ? "Event"
                            : r.condition().type(),
                    (a, b) -> a,
                    LinkedHashMap::new));

    assertThat(readmeTable()).containsExactlyInAnyOrderEntriesOf(expected);
  }
}
