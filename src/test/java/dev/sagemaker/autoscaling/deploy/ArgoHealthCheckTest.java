package dev.sagemaker.autoscaling.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Runs the Argo CD health check in {@code deploy/argocd/health.lua} against the status samples in
 * {@code src/test/resources/health-samples}. Each sample holds the object Argo CD would pass as
 * {@code obj} and the health it must report under {@code expected.argo}.
 */
class ArgoHealthCheckTest {
  private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
  private static final Path SCRIPT = BASEDIR.resolve("deploy/argocd/health.lua");
  private static final Path SAMPLES = BASEDIR.resolve("src/test/resources/health-samples");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Stream<String> samples() throws IOException {
    try (Stream<Path> files = Files.list(SAMPLES)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void reportsTheExpectedHealth(String sampleName) throws IOException {
    Sample sample = Sample.read(SAMPLES.resolve(sampleName));

    Health health = runHealthCheck(sample.object());

    assertThat(health).isEqualTo(sample.expected());
  }

  @Test
  void samplesCoverEveryHealthTheScriptReports() throws IOException {
    Set<String> statuses = new TreeSet<>();
    for (String name : samples().toList()) {
      statuses.add(Sample.read(SAMPLES.resolve(name)).expected().status());
    }

    assertThat(statuses).containsExactly("Degraded", "Healthy", "Progressing", "Suspended");
  }

  /**
   * Runs the script as Argo CD does: the resource is the global {@code obj}, the result a table.
   */
  private static Health runHealthCheck(Map<String, Object> object) throws IOException {
    Globals globals = sandbox();
    globals.set("obj", toLua(object));
    String script = Files.readString(SCRIPT, StandardCharsets.UTF_8);

    LuaValue result = globals.load(script, "health.lua").call();

    assertThat(result.istable()).as("the script returns a table").isTrue();
    return new Health(
        result.get("status").optjstring(null), result.get("message").optjstring(null));
  }

  /** Only the libraries Argo CD's Lua environment offers to health scripts; no io or os. */
  private static Globals sandbox() {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    globals.load(new StringLib());
    globals.load(new JseMathLib());
    LoadState.install(globals);
    LuaC.install(globals);
    return globals;
  }

  /** JSON-shaped Java values to Lua: maps and lists become tables (lists 1-based), null is nil. */
  private static LuaValue toLua(Object value) {
    if (value == null) {
      return LuaValue.NIL;
    }
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      map.forEach((k, v) -> table.set(String.valueOf(k), toLua(v)));
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, toLua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    if (value instanceof Number n) {
      // Argo CD hands numbers to Lua as floats; LuaJ keeps whole numbers as integers either way.
      return LuaValue.valueOf(n.doubleValue());
    }
    return LuaValue.valueOf(value.toString());
  }

  record Health(String status, String message) {}

  record Sample(Map<String, Object> object, Health expected) {
    @SuppressWarnings("unchecked")
    static Sample read(Path file) throws IOException {
      Map<String, Object> root = YAML.readValue(file.toFile(), Map.class);
      Map<String, Object> expected = (Map<String, Object>) root.get("expected");
      Map<String, Object> argo = (Map<String, Object>) expected.get("argo");
      return new Sample(
          (Map<String, Object>) root.get("object"),
          new Health((String) argo.get("status"), (String) argo.get("message")));
    }
  }
}
