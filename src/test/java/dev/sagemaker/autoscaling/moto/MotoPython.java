package dev.sagemaker.autoscaling.moto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the test venv's Python (env SMSP_MOTO_PYTHON, set by src/test/sh/setup-test-env.sh) on
 * src/test/moto.
 */
final class MotoPython {
  static final Path MOTO_DIR = Path.of("src/test/moto");

  record Result(int exit, String out, String err) {}

  private MotoPython() {}

  static String python() {
    String python =
        System.getenv()
            .getOrDefault(
                "SMSP_MOTO_PYTHON",
                System.getProperty("user.home")
                    + "/.cache/sagemaker-autoscaling-operator/moto-5.2.5/bin/python");
    if (!Files.isExecutable(Path.of(python))) {
      throw new IllegalStateException(
          python + " not found: run src/test/sh/setup-test-env.sh and export its --print-env");
    }
    return python;
  }

  static Result run(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(python()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    try (var in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("python " + args[0] + " did not finish in 5 minutes");
    }
    return new Result(process.exitValue(), out.join(), err.join());
  }

  private static String read(InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
