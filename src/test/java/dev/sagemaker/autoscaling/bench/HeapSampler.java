package dev.sagemaker.autoscaling.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Follows the operator's heap with one long-running {@code jstat -gc <pid> 1000} (one extra JVM for
 * the whole run, instead of one per sample). Whenever the young or full GC count moves, survivor
 * plus old usage is the heap left after that GC: eden is empty right after a collection, and old
 * only grows during one, so sampling up to a second late does not change the figure.
 */
final class HeapSampler implements AutoCloseable {
  private final Process jstat;
  private final Thread reader;
  private volatile long peakAfterGcKib;
  private volatile long afterLastFullGcKib = -1;
  private volatile long peakCommittedKib;
  private volatile long metaspaceUsedKib;
  private volatile long fullGcs;
  private volatile long youngGcs;

  private HeapSampler(Process jstat) {
    this.jstat = jstat;
    this.reader = new Thread(this::readSamples, "jstat-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static HeapSampler follow(long pid) throws IOException {
    Process jstat =
        new ProcessBuilder("jstat", "-gc", Long.toString(pid), "1000")
            .redirectErrorStream(true)
            .start();
    return new HeapSampler(jstat);
  }

  private void readSamples() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> header = null;
      String line;
      while ((line = lines.readLine()) != null) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 0 && fields[0].equals("S0C")) {
          header = Arrays.asList(fields);
        } else if (header != null && fields.length == header.size()) {
          sample(header, fields);
        }
      }
    } catch (IOException | RuntimeException e) {
      // jstat ends with the operator; whatever was sampled stands.
    }
  }

  private void sample(List<String> header, String[] fields) {
    long young = (long) value(header, fields, "YGC");
    long full = (long) value(header, fields, "FGC");
    long afterGc =
        (long)
            (value(header, fields, "S0U")
                + value(header, fields, "S1U")
                + value(header, fields, "OU"));
    if (young != youngGcs || full != fullGcs) {
      peakAfterGcKib = Math.max(peakAfterGcKib, afterGc);
    }
    if (full != fullGcs) {
      afterLastFullGcKib = afterGc;
    }
    youngGcs = young;
    fullGcs = full;
    long committed =
        (long)
            (value(header, fields, "S0C")
                + value(header, fields, "S1C")
                + value(header, fields, "EC")
                + value(header, fields, "OC"));
    peakCommittedKib = Math.max(peakCommittedKib, committed);
    metaspaceUsedKib = (long) value(header, fields, "MU");
  }

  private static double value(List<String> header, String[] fields, String column) {
    return Double.parseDouble(fields[header.indexOf(column)]);
  }

  /**
   * Forces a full GC in the operator (jcmd GC.run) and returns the heap it left, in KiB: the live
   * set. Returns -1 when jstat has not seen that collection within 10 s.
   */
  long liveHeapAfterFullGcKib(long pid) throws IOException, InterruptedException {
    long before = fullGcs;
    Process jcmd =
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
    jcmd.getInputStream().readAllBytes();
    jcmd.waitFor(30, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (fullGcs == before && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return fullGcs == before ? -1 : afterLastFullGcKib;
  }

  long peakAfterGcKib() {
    return peakAfterGcKib;
  }

  long peakCommittedKib() {
    return peakCommittedKib;
  }

  long metaspaceUsedKib() {
    return metaspaceUsedKib;
  }

  @Override
  public void close() {
    jstat.destroy();
  }
}
