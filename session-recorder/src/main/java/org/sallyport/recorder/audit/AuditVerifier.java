package org.sallyport.recorder.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.sallyport.recorder.audit.AuditChainBrokenException.Kind;
import org.sallyport.recorder.crypto.InvalidSignatureException;
import org.sallyport.recorder.crypto.VerifyingKey;

/**
 * Walks an audit chain once, in storage order, and throws at the first break.
 *
 * <p>Checks per event, in this order: its hash matches its content ({@link Kind#HASH_MISMATCH}); its seq is
 * the next one ({@link Kind#SEQUENCE_GAP} when numbers are missing, {@link Kind#DUPLICATE_OR_REORDERED} when
 * a number repeats, goes backwards, or a skipped number turns up right after); its prevHash is the previous
 * event's hash ({@link Kind#PREV_HASH_MISMATCH}); every checkpoint at its seq is validly signed
 * ({@link Kind#CHECKPOINT_SIGNATURE}) and names its hash ({@link Kind#CHECKPOINT_MISMATCH}). After the last
 * event, a validly signed checkpoint beyond it means the tail was deleted ({@link Kind#CHECKPOINT_MISSING_EVENT}).
 * A checkpoint at {@code expectedFirstSeq - 1} is an anchor: it must name {@code expectedFirstPrevHash}.
 * Checkpoints further before the walked range are ignored.
 *
 * <h2>Security guarantees</h2>
 * If this returns, every walked event is unchanged since it was appended, none is missing, inserted or
 * moved between {@code expectedFirstSeq} and the last event, and no event covered by a signed checkpoint
 * was rewritten, provided the verifying key is authentic and obtained independently of the store.
 *
 * <h2>Restrictions</h2>
 * <ul>
 *   <li>Deleting the newest events after the last checkpoint cannot be detected from the chain alone: the
 *       shortened chain is still consistent. Checkpoint often (and at shutdown) and keep checkpoints or the
 *       latest head where the attacker cannot write, to narrow that window.</li>
 *   <li>Whoever can write the store can rebuild a consistent chain after the last checkpoint; rewriting
 *       earlier events is reported at the first checkpoint after the rewrite ({@link Kind#CHECKPOINT_MISMATCH}),
 *       which may be later than the first edited event.</li>
 *   <li>Checkpoints are held in memory (they are few); events are streamed with one event of look-ahead,
 *       so memory does not grow with the chain.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; the iterator is consumed by the calling thread.
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    /**
     * @param events                the events in storage order (normally ascending seq)
     * @param checkpoints           signed checkpoints, any order
     * @param key                   the public key checkpoints must verify with (may be null only if there are none)
     * @param expectedFirstPrevHash {@link AuditChain#GENESIS} for a whole chain
     * @param expectedFirstSeq      1 for a whole chain
     * @throws AuditChainBrokenException at the first break, naming its sequence number
     */
    public static VerificationReport verify(Iterator<AuditEvent> events, List<Checkpoint> checkpoints, VerifyingKey key,
                                            String expectedFirstPrevHash, long expectedFirstSeq) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(expectedFirstPrevHash, "expectedFirstPrevHash");
        List<Checkpoint> cps = new ArrayList<>(Objects.requireNonNull(checkpoints, "checkpoints"));
        cps.sort(Comparator.comparingLong(Checkpoint::seq));
        if (!cps.isEmpty()) Objects.requireNonNull(key, "key");

        int ci = 0;
        int verified = 0;
        while (ci < cps.size() && cps.get(ci).seq() < expectedFirstSeq) {
            Checkpoint c = cps.get(ci++);
            if (c.seq() != expectedFirstSeq - 1) continue;
            checkSignature(c, key);
            if (!c.headHash().equals(expectedFirstPrevHash)) {
                throw new AuditChainBrokenException(Kind.CHECKPOINT_MISMATCH, c.seq(), "event " + c.seq()
                        + ": the signed checkpoint names a different hash than the one this chain segment starts from");
            }
            verified++;
        }

        Lookahead it = new Lookahead(events);
        long expected = expectedFirstSeq;
        String prev = expectedFirstPrevHash;
        long count = 0;
        while (it.hasNext()) {
            AuditEvent e = it.next();
            long seq = e.seq();
            if (!hashMatches(e)) {
                throw new AuditChainBrokenException(Kind.HASH_MISMATCH, seq,
                        "event " + seq + ": hash does not match its content (edited?)");
            }
            if (seq < expected) {
                throw new AuditChainBrokenException(Kind.DUPLICATE_OR_REORDERED, seq, count == 0
                        ? "event " + seq + ": the chain was expected to start at event " + expectedFirstSeq
                        : "event " + seq + ": appears again after event " + (expected - 1) + " (duplicated, inserted or reordered?)");
            }
            if (seq > expected) {
                if (it.hasNext() && it.peek().seq() < seq) {
                    throw new AuditChainBrokenException(Kind.DUPLICATE_OR_REORDERED, expected, "event " + expected
                            + ": out of order, event " + seq + " is stored before it (reordered?)");
                }
                throw new AuditChainBrokenException(Kind.SEQUENCE_GAP, expected, seq - expected == 1
                        ? "event " + expected + ": missing, the chain jumps to event " + seq + " (deleted?)"
                        : "event " + expected + ": missing together with the next " + (seq - expected - 1)
                                + ", the chain jumps to event " + seq + " (deleted?)");
            }
            if (!e.prevHash().equals(prev)) {
                throw new AuditChainBrokenException(Kind.PREV_HASH_MISMATCH, seq, count == 0
                        ? "event " + seq + ": prevHash is not the expected start of the chain (replaced?)"
                        : "event " + seq + ": prevHash is not the hash of event " + (seq - 1) + " (inserted or replaced?)");
            }
            while (ci < cps.size() && cps.get(ci).seq() == seq) {
                Checkpoint c = cps.get(ci++);
                checkSignature(c, key);
                if (!c.headHash().equals(e.hash())) {
                    throw new AuditChainBrokenException(Kind.CHECKPOINT_MISMATCH, seq, "event " + seq
                            + ": hash differs from the signed checkpoint (chain rewritten at or before this event)");
                }
                verified++;
            }
            prev = e.hash();
            expected = seq + 1;
            count++;
        }
        if (ci < cps.size()) {
            Checkpoint c = cps.get(ci);
            checkSignature(c, key); // an unsigned stray checkpoint must not make a good chain look truncated
            throw new AuditChainBrokenException(Kind.CHECKPOINT_MISSING_EVENT, c.seq(), count == 0
                    ? "event " + c.seq() + ": a signed checkpoint covers it but there are no events (deleted?)"
                    : "event " + c.seq() + ": a signed checkpoint covers it but the chain ends at event " + (expected - 1)
                            + " (events deleted from the tail?)");
        }
        return new VerificationReport(count, expectedFirstSeq, expected - 1, prev, verified);
    }

    private static boolean hashMatches(AuditEvent e) {
        try {
            return AuditChain.recompute(e).equals(e.hash());
        } catch (IllegalArgumentException badText) {
            return false; // content that cannot even be encoded was not appended by AuditChain
        }
    }

    private static void checkSignature(Checkpoint c, VerifyingKey key) {
        try {
            c.verify(key);
        } catch (InvalidSignatureException e) {
            throw new AuditChainBrokenException(Kind.CHECKPOINT_SIGNATURE, c.seq(), e.getMessage(), e);
        }
    }

    /** One event of look-ahead, so a skipped seq that turns up next is reported as reordering, not deletion. */
    private static final class Lookahead {
        private final Iterator<AuditEvent> source;
        private AuditEvent peeked;

        Lookahead(Iterator<AuditEvent> source) {
            this.source = source;
        }

        boolean hasNext() {
            return peeked != null || source.hasNext();
        }

        AuditEvent next() {
            if (peeked != null) {
                AuditEvent e = peeked;
                peeked = null;
                return e;
            }
            return Objects.requireNonNull(source.next(), "events contains null");
        }

        AuditEvent peek() {
            if (peeked == null) peeked = Objects.requireNonNull(source.next(), "events contains null");
            return peeked;
        }
    }
}
