import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Build step (run by Maven with Java's single-file launcher after the CRD generator): the generator
 * sorts printer columns by JSON path, which would make `kubectl get smsp` start with AGE. This puts
 * them in the order the columns are declared in the @AdditionalPrinterColumn list given as
 * arguments.
 *
 * <p>Usage: java OrderPrinterColumns.java CRD_FILE NAME...
 */
public final class OrderPrinterColumns {
  private static final String START = "  - additionalPrinterColumns:";

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    List<String> order = List.of(args).subList(1, args.length);
    List<String> lines = Files.readAllLines(file);
    int start = lines.indexOf(START);
    if (start < 0) {
      throw new IllegalStateException("no printer columns in " + file);
    }
    int end = start + 1;
    List<List<String>> columns = new ArrayList<>();
    // A column is a "    - " line and its "      " continuation lines; "    name: v1alpha1" ends
    // the list.
    while (end < lines.size()
        && (lines.get(end).startsWith("    - ") || lines.get(end).startsWith("      "))) {
      if (lines.get(end).startsWith("    - ")) {
        columns.add(new ArrayList<>());
      }
      columns.get(columns.size() - 1).add(lines.get(end));
      end++;
    }
    columns.sort(
        Comparator.comparingInt(
            column -> {
              String name =
                  column.stream()
                      .filter(l -> l.trim().startsWith("name: "))
                      .findFirst()
                      .orElseThrow()
                      .trim()
                      .substring("name: ".length())
                      .replace("\"", "");
              int index = order.indexOf(name);
              if (index < 0) {
                throw new IllegalStateException(
                    "printer column " + name + " is not in the order list");
              }
              return index;
            }));
    List<String> result = new ArrayList<>(lines.subList(0, start + 1));
    columns.forEach(result::addAll);
    result.addAll(lines.subList(end, lines.size()));
    Files.write(file, result);
  }
}
