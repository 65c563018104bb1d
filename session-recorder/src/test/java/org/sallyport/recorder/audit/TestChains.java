package org.sallyport.recorder.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sallyport.recorder.crypto.SigningKey;

/** Builds valid chains with checkpoints for tamper tests. */
final class TestChains {
    static final Instant T0 = Instant.parse("2026-03-01T08:00:00.123456789Z");
    static final SigningKey KEY = SigningKey.generate();

    final List<AuditEvent> events = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();

    /** {@code n} events; a checkpoint after every {@code every} events (0 = none). */
    static TestChains of(int n, int every) {
        TestChains c = new TestChains();
        AuditEvent prev = null;
        for (int i = 1; i <= n; i++) {
            AuditEventDraft d = new AuditEventDraft("user-" + (i % 3), i % 2 == 0 ? "request.approve" : "session.start",
                    "access-request", i % 5 == 0 ? null : "req-" + i, Map.of("rule", "r" + i, "site", "north"));
            prev = AuditChain.append(prev, d, T0.plus(Duration.ofMillis(1500L * i)));
            c.events.add(prev);
            if (every > 0 && i % every == 0) {
                c.checkpoints.add(Checkpoint.sign(i, prev.hash(), prev.time().plusMillis(1), KEY));
            }
        }
        return c;
    }

    VerificationReport verify() {
        return AuditVerifier.verify(events.iterator(), checkpoints, KEY.verifyingKey(), AuditChain.GENESIS, 1);
    }

    AuditEvent at(long seq) {
        return events.get((int) seq - 1);
    }

    void replace(long seq, AuditEvent e) {
        events.set((int) seq - 1, e);
    }

    /** The event re-made with a valid hash for its (possibly edited) content, as a forger would. */
    static AuditEvent rehashed(AuditEvent e) {
        return new AuditEvent(e.seq(), e.time(), e.actor(), e.action(), e.objectType(), e.objectId(), e.details(),
                e.prevHash(), AuditChain.recompute(e));
    }
}
