package org.sallyport.policy.detect;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import org.sallyport.policy.guard.GuardRules;
import org.sallyport.policy.guard.GuardVerdict;
import org.sallyport.policy.guard.OutputRules;
import org.sallyport.policy.guard.StreamGuard;

/**
 * Throughput of the session guard's output side with the default detectors, on 200 MB of benign
 * terminal output (the benign corpus, repeated, CRLF line ends as a PTY sends them) in 32 KiB
 * chunks (the gateway's pump buffer), on one thread. Prints wall-clock MB/s and MB per CPU-second
 * of the measuring thread (the build host is shared, so wall time understates a free core), for
 * the whole guard and for each detector alone. Not a test:
 *
 * <pre>
 * mvn -B -o -q -pl policy-rules test-compile
 * java -cp policy-rules/target/classes:policy-rules/target/test-classes \
 *     org.sallyport.policy.detect.GuardThroughputBenchmark
 * </pre>
 */
public final class GuardThroughputBenchmark {
  private GuardThroughputBenchmark() {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) {
    run("whole benign corpus (logs, ls, ps, git log, md5sums, config, random tokens)",
        Samples.toTerminal(Samples.benignCorpus()));
    java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
    for (String f : new String[] {"syslog.txt", "dmesg.txt", "ps-aux.txt", "compiler-noise.txt", "ls-la.txt"}) {
      logs.writeBytes(Samples.resource("corpus/benign/" + f));
    }
    run("log-like output only (syslog, dmesg, ps, compiler noise, ls -la)",
        Samples.toTerminal(logs.toByteArray()));
    if (Boolean.getBoolean("bench.zeros")) {
      run("zero bytes (what the gateway benchmark's bulk legs send)", new byte[64 * 1024]);
    }
  }

  private static void run(String name, byte[] corpus) {
    System.out.println("== " + name);
    int total = 200 * 1000 * 1000;
    int chunk = 32 * 1024;
    byte[] text = new byte[total];
    for (int at = 0; at < total; at += corpus.length) {
      System.arraycopy(corpus, 0, text, at, Math.min(corpus.length, total - at));
    }
    GuardRules d = GuardRules.defaults();
    // Volume caps would (rightly) end a 200 MB session; they cost O(1) per chunk anyway.
    GuardRules rules = new GuardRules(d.channels(), d.input(),
        new OutputRules(d.output().detectors(), d.output().tuning(), List.of()));
    double[] wall = new double[7];
    double[] cpu = new double[wall.length];
    for (int run = 0; run < wall.length; run++) {
      StreamGuard g = new StreamGuard(rules, true, InstantSource.system());
      long c0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (int off = 0; off < total; off += chunk) {
        GuardVerdict v = g.output(text, off, Math.min(chunk, total - off));
        if (!v.passed()) {
          throw new IllegalStateException("benign text triggered: " + v);
        }
      }
      wall[run] = total / 1e6 / ((System.nanoTime() - t0) / 1e9);
      cpu[run] = total / 1e6 / ((THREADS.getCurrentThreadCpuTime() - c0) / 1e9);
      System.out.printf("run %d: %.0f MB/s wall, %.0f MB/CPU-s%n", run, wall[run], cpu[run]);
    }
    System.out.printf("guard output side, %d default detectors, 200 MB terminal text, %d KiB chunks:"
        + " median %.0f MB/s wall, %.0f MB per CPU-second%n", d.output().detectors().size(),
        chunk / 1024, median(wall), median(cpu));
    for (String id : List.of("binary", "video.annexb", "video.mjpeg", "base64", "hexdump", "uuencode")) {
      double[] one = new double[3];
      for (int run = 0; run < one.length; run++) {
        StreamDetector det = ExportDetectors.create(id, DetectorConfig.withDefaults());
        long c0 = THREADS.getCurrentThreadCpuTime();
        for (int off = 0; off < total; off += chunk) {
          det.feed(text, off, Math.min(chunk, total - off));
        }
        one[run] = total / 1e6 / ((THREADS.getCurrentThreadCpuTime() - c0) / 1e9);
      }
      System.out.printf("  %-14s %6.0f MB per CPU-second%n", id, median(one));
    }
  }

  private static double median(double[] xs) {
    double[] m = Arrays.copyOfRange(xs, Math.min(2, xs.length - 1), xs.length); // JIT warm-up
    Arrays.sort(m);
    return m[m.length / 2];
  }
}
