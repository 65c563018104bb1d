package org.sallyport.broker.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.store.JdbcStore;
import org.sallyport.broker.store.StoreTx;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.crypto.SigningKey;

/**
 * Many sessions end at once (the bench's idle sessions closing together did exactly this): every
 * committer then races to sign the checkpoint over the same head. The events must all be recorded
 * without an error reaching any caller, and the chain with its checkpoints must verify.
 */
class AuditLogConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void concurrentCommittersNeverFailOverACheckpointRace() throws Exception {
        try (JdbcStore store = JdbcStore.open(JdbcStore.h2FileUrl(dir), "sa", "")) {
            AuditLog audit = new AuditLog(store, SigningKey.generate(), 3, Clock.systemUTC());
            int threads = 8;
            int each = 40;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < each; i++) {
                            audit.record(new AuditEventDraft("tech", "session.ended", "session", id + "-" + i, Map.of()));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) f.get(); // an exception in any committer fails here
            }
            audit.checkpointNow();
            AuditLog.Outcome outcome = audit.verifyAll();
            assertThat(outcome.ok()).as(outcome.message()).isTrue();
            assertThat(outcome.events()).isEqualTo((long) threads * each);
            assertThat(store.inTransaction(StoreTx::checkpoints))
                    .as("a checkpoint at most threads + 3 events apart, and one over the final head")
                    .hasSizeGreaterThanOrEqualTo(threads * each / (3 + threads))
                    .last().satisfies(c -> assertThat(c.seq()).isEqualTo((long) threads * each));
        }
    }
}
