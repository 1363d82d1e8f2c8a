package dev.sagemaker.autoscaling.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator jar in a JVM of its own, configured through the environment exactly as the Helm
 * chart configures the container, with its heap followed by a {@link HeapSampler}.
 */
final class OperatorProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * USER_HZ, the unit of the CPU times in /proc: 100 on every Linux this runs on, asked of getconf
   * to be sure.
   */
  static final long CLOCK_TICKS_PER_SECOND = clockTicks();

  /** Everything that stays the same between the first operator and the restarted one. */
  record Launch(
      Path jar, List<String> jvmFlags, Map<String, String> environment, Path logDirectory) {}

  private final Process process;
  private final boolean tracksNativeMemory;
  private final int metricsPort;
  private final HeapSampler heap;
  private final long startedNanos;
  private final double machineBusyAtStart;

  /** Where the threads go when the JVM does not stop on SIGTERM, to show what it waits for. */
  private final Path threadDump;

  private OperatorProcess(
      Process process,
      boolean tracksNativeMemory,
      int metricsPort,
      HeapSampler heap,
      long startedNanos,
      double machineBusyAtStart,
      Path threadDump) {
    this.process = process;
    this.tracksNativeMemory = tracksNativeMemory;
    this.threadDump = threadDump;
    this.metricsPort = metricsPort;
    this.heap = heap;
    this.startedNanos = startedNanos;
    this.machineBusyAtStart = machineBusyAtStart;
  }

  static OperatorProcess start(Launch launch, String label)
      throws IOException, InterruptedException {
    int metricsPort = FreePort.pick();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(launch.jvmFlags());
    command.add("-jar");
    command.add(launch.jar().toString());
    Files.createDirectories(launch.logDirectory());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(launch.logDirectory().resolve("operator-" + label + ".log").toFile());
    // Only what the chart sets: nothing inherited from the benchmark's own environment leaks in.
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(launch.environment());
    builder.environment().put("METRICS_PORT", Integer.toString(metricsPort));
    double machineBusy = MachineCpu.busySeconds();
    long started = System.nanoTime();
    Process process = builder.start();
    // A benchmark stopped by its time limit or Ctrl-C must not leave an operator running.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "operator-stop"));
    // jstat attaches through the JVM's perf data file, which appears a moment after start.
    Thread.sleep(500);
    return new OperatorProcess(
        process,
        launch.jvmFlags().stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking=")),
        metricsPort,
        HeapSampler.follow(process.pid()),
        started,
        machineBusy,
        launch.logDirectory().resolve("operator-" + label + "-threads-at-sigkill.txt"));
  }

  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes()).trim();
      return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  long pid() {
    return process.pid();
  }

  /** Started with -XX:NativeMemoryTracking, so jcmd can break its memory down. */
  boolean tracksNativeMemory() {
    return tracksNativeMemory;
  }

  long startedNanos() {
    return startedNanos;
  }

  /** Busy core-seconds of the whole machine since this JVM was started ({@link MachineCpu}). */
  double machineBusySinceStart() {
    return MachineCpu.busySeconds() - machineBusyAtStart;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  HeapSampler heap() {
    return heap;
  }

  /**
   * The operator's own count, smsp_aws_calls_total from /metrics; the last good answer is retried
   * for up to 10 s.
   */
  AwsCallCounts awsCalls() throws IOException, InterruptedException {
    return PrometheusText.awsCalls(metricsPage("smsp_aws_calls"));
  }

  /** Passes the operator completed since it started (its own count, from /metrics). */
  long passes() throws IOException, InterruptedException {
    return PrometheusText.passes(metricsPage("smsp_reconcile_seconds"));
  }

  /**
   * Waits until the operator has completed {@code passes} passes or the timeout passes; returns how
   * many it had at the end.
   */
  long awaitPasses(long passes, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long seen = passesOrZero();
    while (seen < passes && System.nanoTime() < deadline) {
      Thread.sleep(500);
      seen = passesOrZero();
    }
    return seen;
  }

  /** A JVM just started may not serve /metrics yet: it has passed nothing so far. */
  private long passesOrZero() throws InterruptedException {
    try {
      return passes();
    } catch (IOException e) {
      return 0;
    }
  }

  /** The whole /metrics page, as Prometheus scrapes it. */
  String fullMetricsPage() throws IOException, InterruptedException {
    return metricsPage(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"));
  }

  /**
   * The /metrics page with only the named metric: the passes are polled every half second, and a
   * whole page at 1,000 resources (30,000 per-resource series) cost the operator 0.4 s of CPU each
   * time, which the steady-resync figures then counted as the operator's own.
   */
  private String metricsPage(String metric) throws IOException, InterruptedException {
    return metricsPage(
        URI.create("http://127.0.0.1:" + metricsPort + "/metrics?name%5B%5D=" + metric));
  }

  private String metricsPage(URI metrics) throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        HttpResponse<String> page =
            HTTP.send(
                HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (page.statusCode() == 200) {
          return page.body();
        }
        last = new IOException("/metrics answered " + page.statusCode());
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(500);
    }
    throw last;
  }

  /**
   * CPU time the operator's JVM has used so far, user plus system, in seconds (utime + stime in
   * /proc/&lt;pid&gt;/stat, in clock ticks); NaN once the process is gone.
   */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      // fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15.
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12]))
          / (double) CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Peak resident set size so far, in KiB (the kernel's VmHWM); -1 once the process is gone. */
  long peakRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /**
   * How a stop went: seconds from SIGTERM to exit, the exit code, and whether SIGKILL was needed.
   */
  record Stopped(double seconds, int exitCode, boolean killed) {
    @Override
    public String toString() {
      return String.format(
          "exited %.1f s after SIGTERM with code %d%s",
          seconds, exitCode, killed ? " (SIGKILL after 30 s: it did not stop on SIGTERM)" : "");
    }
  }

  /**
   * SIGTERM, as Kubernetes stops a pod; SIGKILL if it has not exited after 30 s (the pod's default
   * grace period).
   */
  Stopped stop() throws InterruptedException {
    heap.close();
    long start = System.nanoTime();
    process.destroy();
    boolean killed = false;
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      killed = true;
      dumpThreads();
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    return new Stopped(
        Rig.secondsSince(start), process.isAlive() ? -1 : process.exitValue(), killed);
  }

  private void dumpThreads() {
    try {
      Process jcmd =
          new ProcessBuilder("jcmd", Long.toString(pid()), "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(threadDump.toFile())
              .start();
      jcmd.waitFor(20, TimeUnit.SECONDS);
    } catch (IOException e) {
      // Only a diagnostic: the stop goes on without it.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
