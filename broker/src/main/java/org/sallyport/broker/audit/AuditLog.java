package org.sallyport.broker.audit;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.sallyport.broker.error.ConflictException;
import org.sallyport.broker.error.UnavailableException;
import org.sallyport.broker.store.Store;
import org.sallyport.broker.store.StoreTx;
import org.sallyport.recorder.audit.AuditChainBrokenException;
import org.sallyport.recorder.audit.AuditChain;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.audit.AuditVerifier;
import org.sallyport.recorder.audit.Checkpoint;
import org.sallyport.recorder.audit.VerificationReport;
import org.sallyport.recorder.crypto.InvalidSignatureException;
import org.sallyport.recorder.crypto.SigningKey;
import org.sallyport.recorder.crypto.VerifyingKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit events and signs checkpoints.
 *
 * <p>Security guarantees: an event is written in the same transaction as the change it describes, so a
 * change without its event cannot commit; a refusal's event is committed before the refusal is answered,
 * and if it cannot be written the caller gets {@link UnavailableException} (fail closed). A checkpoint
 * (Ed25519 over seq and head hash) is signed every {@code checkpointEvery} events and at shutdown.
 *
 * <p>Threading: blocking; call from virtual threads or workers only.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int PAGE = 1000;

    private final Store store;
    private final SigningKey key;
    private final int checkpointEvery;
    private final Clock clock;

    public AuditLog(Store store, SigningKey key, int checkpointEvery, Clock clock) {
        this.store = store;
        this.key = key;
        this.checkpointEvery = checkpointEvery;
        this.clock = clock;
    }

    /** Appends inside the caller's transaction. */
    public AuditEvent append(StoreTx tx, AuditEventDraft draft) {
        return tx.appendAudit(draft, clock.instant());
    }

    /** Records an event in a transaction of its own (refusals, logins); fails closed. */
    public AuditEvent record(AuditEventDraft draft) {
        AuditEvent e;
        try {
            e = store.inTransaction(tx -> append(tx, draft));
        } catch (RuntimeException ex) {
            LOG.error("audit append failed for action {}; refusing to continue", draft.action(), ex);
            throw new UnavailableException("audit log unavailable", ex);
        }
        afterCommit();
        return e;
    }

    /**
     * Signs a checkpoint when enough events have passed since the last one. Call after each commit that
     * appended. The caller's change has already committed, so this never fails it: concurrent committers
     * race for the same head (one signs, the other finds it covered), and a checkpoint that cannot be
     * written now is retried by the next commit, which still sees {@code checkpointEvery} events uncovered.
     */
    public void afterCommit() {
        checkpoint(false);
    }

    /** Signs a checkpoint over the current head unless one already covers it (shutdown). */
    public void checkpointNow() {
        checkpoint(true);
    }

    private synchronized void checkpoint(boolean always) {
        try {
            store.inTransaction(tx -> {
                var last = tx.lastAudit();
                if (last.isEmpty()) return null;
                long covered = tx.lastCheckpoint().map(Checkpoint::seq).orElse(0L);
                long since = last.get().seq() - covered;
                if (since > 0 && (always || since >= checkpointEvery)) sign(tx, last.get());
                return null;
            });
        } catch (ConflictException e) {
            LOG.debug("checkpoint already signed by another committer: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("signing an audit checkpoint failed; the next commit retries", e);
        }
    }

    private void sign(StoreTx tx, AuditEvent head) {
        tx.insertCheckpoint(Checkpoint.sign(head.seq(), head.hash(), clock.instant(), key));
    }

    public VerifyingKey publicKey() {
        return key.verifyingKey();
    }

    /** Walks the whole chain page by page (bounded memory) and checks every signed checkpoint. */
    public Outcome verifyAll() {
        return verify(store, key.verifyingKey());
    }

    /** Verifies the chain of any store against a public key; used online and offline ({@code --data DIR}). */
    public static Outcome verify(Store store, VerifyingKey publicKey) {
        List<Checkpoint> checkpoints = store.inTransaction(StoreTx::checkpoints);
        try {
            VerificationReport r = AuditVerifier.verify(new PagedEvents(store), checkpoints, publicKey, AuditChain.GENESIS, 1);
            return new Outcome(true, r.events(), r.firstSeq(), r.lastSeq(), r.headHash(), r.checkpointsVerified(), null, null, null);
        } catch (AuditChainBrokenException e) {
            return new Outcome(false, 0, 0, 0, null, 0, e.seq(), e.kind().name(), e.getMessage());
        } catch (InvalidSignatureException e) {
            return new Outcome(false, 0, 0, 0, null, 0, null, "CHECKPOINT_SIGNATURE", e.getMessage());
        }
    }

    /** Result of a walk; on failure names the first event that does not verify. */
    public record Outcome(boolean ok, long events, long firstSeq, long lastSeq, String headHash, int checkpointsVerified,
                          Long failedSeq, String failureKind, String message) {}

    private static final class PagedEvents implements Iterator<AuditEvent> {
        private final Store store;
        private final ArrayDeque<AuditEvent> page = new ArrayDeque<>();
        private long next = 1;
        private boolean exhausted;

        PagedEvents(Store store) {
            this.store = store;
        }

        @Override
        public boolean hasNext() {
            if (page.isEmpty() && !exhausted) {
                List<AuditEvent> batch = store.inTransaction(tx -> tx.readAudit(next, PAGE));
                page.addAll(batch);
                if (batch.size() < PAGE) exhausted = true;
                if (!batch.isEmpty()) next = batch.getLast().seq() + 1;
            }
            return !page.isEmpty();
        }

        @Override
        public AuditEvent next() {
            if (!hasNext()) throw new NoSuchElementException();
            return page.poll();
        }
    }
}
