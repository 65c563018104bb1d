package org.sallyport.policy.detect;

import java.util.Arrays;

/**
 * Throughput of the default output chain on 100 MB of benign terminal text (the benign corpus,
 * repeated, CRLF line ends as a PTY sends them), fed in 16 KiB chunks on one thread. Not a test:
 *
 * <pre>
 * java -cp policy-rules/target/classes:policy-rules/target/test-classes \
 *     org.sallyport.policy.detect.DetectorChainBenchmark
 * </pre>
 */
public final class DetectorChainBenchmark {
  private DetectorChainBenchmark() {}

  public static void main(String[] args) {
    int total = 100 * 1000 * 1000;
    int chunk = 16 * 1024;
    byte[] corpus = Samples.toTerminal(Samples.benignCorpus());
    byte[] text = new byte[total];
    for (int at = 0; at < total; at += corpus.length) {
      System.arraycopy(corpus, 0, text, at, Math.min(corpus.length, total - at));
    }
    DetectorChain chain =
        ExportDetectors.outputChain(DetectorConfig.withDefaults().withMaxOutputBytes(Long.MAX_VALUE));
    double[] mbs = new double[8];
    for (int run = 0; run < mbs.length; run++) {
      chain.reset();
      long t0 = System.nanoTime();
      for (int off = 0; off < total; off += chunk) {
        if (chain.feed(text, off, Math.min(chunk, total - off)).isPresent()) {
          throw new IllegalStateException("benign text triggered: " + chain.feed(text, 0, 0));
        }
      }
      mbs[run] = total / 1e6 / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("run %d: %.0f MB/s%n", run, mbs[run]);
    }
    double[] measured = Arrays.copyOfRange(mbs, 3, mbs.length); // first runs warm the JIT up
    Arrays.sort(measured);
    System.out.printf("chain of %d detectors, 100 MB benign text, %d KiB chunks: median %.0f MB/s%n",
        chain.detectors().size(), chunk / 1024, measured[measured.length / 2]);
    for (StreamDetector d : ExportDetectors.forOutput(DetectorConfig.withDefaults())) {
      d.reset();
      long t0 = System.nanoTime();
      for (int rep = 0; rep < 2; rep++) {
        d.reset();
        for (int off = 0; off < total; off += chunk) {
          d.feed(text, off, Math.min(chunk, total - off));
        }
      }
      System.out.printf("  %-14s %6.0f MB/s%n", d.id(), 2 * total / 1e6 / ((System.nanoTime() - t0) / 1e9));
    }
  }
}
