package org.sallyport.recorder.evidence;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.sallyport.recorder.audit.AuditChain;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.audit.Checkpoint;
import org.sallyport.recorder.crypto.SigningKey;

/**
 * Not a test: exports a bundle of N audit events (default 1,000,000; {@code -Dbench.events=N}) and verifies it, printing
 * events/s for each, the bundle size and the heap in use. Events are generated on the fly (the chain is never held in
 * memory), so the figure is the writer's and verifier's own cost (chain hashing, JSON, CSV, zip, SHA-256, Ed25519).
 *
 * <p>Run: {@code mvn -o -q -pl session-recorder test-compile} then {@code java -Xmx256m -cp
 * session-recorder/target/classes:session-recorder/target/test-classes:<deps> org.sallyport.recorder.evidence.EvidenceBenchmark}
 * ({@code ./sallyport bench-evidence} does exactly that).
 */
public final class EvidenceBenchmark {
    private EvidenceBenchmark() {}

    /** A chain generated lazily, the same each time it is iterated; a checkpoint every {@code every} events. */
    static final class Chain implements Iterable<AuditEvent> {
        final long n;
        final Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        final List<Checkpoint> checkpoints = new ArrayList<>();

        Chain(long n, int every, SigningKey key) {
            this.n = n;
            long i = 0;
            for (AuditEvent e : this) {
                if (++i % every == 0 || i == n) checkpoints.add(Checkpoint.sign(e.seq(), e.hash(), e.time(), key));
            }
        }

        @Override
        public Iterator<AuditEvent> iterator() {
            return new Iterator<>() {
                AuditEvent prev;

                @Override
                public boolean hasNext() {
                    return prev == null ? n > 0 : prev.seq() < n;
                }

                @Override
                public AuditEvent next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    long i = prev == null ? 1 : prev.seq() + 1;
                    String action = i % 5 == 0 ? "session.guard-block" : i % 3 == 0 ? "request.decision-recorded" : "session.started";
                    prev = AuditChain.append(prev, new AuditEventDraft("tech-" + (i % 17), action, "session", "sess-" + (i / 7),
                            Map.of("target", "cam-" + (i % 40), "rule", "export.base64", "comment", "ticket INC-" + i)),
                            t0.plus(Duration.ofMillis(i * 10)));
                    return prev;
                }
            };
        }
    }

    public static void main(String[] args) throws Exception {
        long n = Long.getLong("bench.events", 1_000_000L);
        SigningKey key = SigningKey.generate();
        long g0 = System.nanoTime();
        Chain chain = new Chain(n, 1000, key);
        double gen = (System.nanoTime() - g0) / 1e9;
        System.out.printf(Locale.ROOT, "generated and hashed %,d events (%d checkpoints) in %.1f s (%.0f events/s: chain hashing alone)%n",
                n, chain.checkpoints.size(), gen, n / gen);
        Path dir = Files.createTempDirectory("evidence-bench");
        Path bundle = dir.resolve("bundle.zip");
        try {
            long t0 = System.nanoTime();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(bundle), 1 << 16)) {
                EvidenceWriter w = EvidenceWriter.start(out, key, new EvidenceHeader(Instant.now(), chain.t0,
                        chain.t0.plus(Duration.ofMillis(n * 10 + 1)), Map.of(), "benchmark"), null);
                w.writeChain(AuditChain.GENESIS, chain.iterator(), chain.checkpoints);
                w.writeEvents(chain.iterator());
                w.writeSessions(List.of());
                w.finish();
            }
            double export = (System.nanoTime() - t0) / 1e9;
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "export: %,d events in %.1f s = %.0f events/s (bundle %.1f MiB, heap max %d MiB)%n",
                    n, export, n / export, Files.size(bundle) / 1048576.0, rt.maxMemory() >> 20);
            long v0 = System.nanoTime();
            EvidenceSummary s = EvidenceVerifier.verify(bundle, key.verifyingKey(), null);
            double verify = (System.nanoTime() - v0) / 1e9;
            System.out.printf(Locale.ROOT, "verify: %,d events in %.1f s = %.0f events/s (%d checkpoints verified); verify/export time %.2f%n",
                    s.segmentEvents(), verify, n / verify, s.checkpointsVerified(), verify / export);
        } finally {
            Files.deleteIfExists(bundle);
            Files.deleteIfExists(dir);
        }
    }
}
