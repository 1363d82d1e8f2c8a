package dev.sagemaker.autoscaling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time every process on the machine has used, from the kernel's {@code /proc/stat}: the
 * operator shares the benchmark machine's cores with the API server, etcd, moto and the benchmark
 * itself, and a phase whose machine was busy all along was paced by that, not by the operator.
 */
final class MachineCpu {
  private MachineCpu() {}

  /**
   * Busy core-seconds since boot: user, nice, system, irq, softirq and steal of the "cpu" line
   * (idle and iowait left out; guest time is inside user already); NaN where there is no
   * /proc/stat.
   */
  static double busySeconds() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy / (double) OperatorProcess.CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
