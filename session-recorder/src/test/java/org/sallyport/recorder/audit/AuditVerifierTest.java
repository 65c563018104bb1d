package org.sallyport.recorder.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sallyport.recorder.audit.AuditChainBrokenException.Kind;
import org.sallyport.recorder.crypto.SigningKey;

class AuditVerifierTest {

    @Test
    void intactChainWithCheckpointsEveryTenVerifies() {
        TestChains c = TestChains.of(50, 10);
        VerificationReport r = c.verify();

        assertThat(r).isEqualTo(new VerificationReport(50, 1, 50, c.at(50).hash(), 5));
    }

    @Test
    void emptyChainWithoutCheckpointsIsValid() {
        VerificationReport r = AuditVerifier.verify(Collections.emptyIterator(), List.of(), null, AuditChain.GENESIS, 1);
        assertThat(r).isEqualTo(new VerificationReport(0, 1, 0, AuditChain.GENESIS, 0));
    }

    @Test
    void chainWithUncheckpointedTailVerifies() {
        TestChains c = TestChains.of(47, 10);
        assertThat(c.verify()).isEqualTo(new VerificationReport(47, 1, 47, c.at(47).hash(), 4));
    }

    static List<Arguments> edits() {
        return List.<Arguments>of(
                Arguments.of("actor", (UnaryOperator<AuditEvent>) e -> new AuditEvent(e.seq(), e.time(), "mallory", e.action(),
                        e.objectType(), e.objectId(), e.details(), e.prevHash(), e.hash())),
                Arguments.of("action", (UnaryOperator<AuditEvent>) e -> new AuditEvent(e.seq(), e.time(), e.actor(), "request.deny",
                        e.objectType(), e.objectId(), e.details(), e.prevHash(), e.hash())),
                Arguments.of("objectType", (UnaryOperator<AuditEvent>) e -> new AuditEvent(e.seq(), e.time(), e.actor(), e.action(),
                        "grant", e.objectId(), e.details(), e.prevHash(), e.hash())),
                Arguments.of("objectId", (UnaryOperator<AuditEvent>) e -> new AuditEvent(e.seq(), e.time(), e.actor(), e.action(),
                        e.objectType(), "req-999", e.details(), e.prevHash(), e.hash())),
                Arguments.of("objectId to null", (UnaryOperator<AuditEvent>) e -> new AuditEvent(e.seq(), e.time(), e.actor(), e.action(),
                        e.objectType(), null, e.details(), e.prevHash(), e.hash())),
                Arguments.of("details", (UnaryOperator<AuditEvent>) e -> new AuditEvent(e.seq(), e.time(), e.actor(), e.action(),
                        e.objectType(), e.objectId(), Map.of("rule", "allow-all", "site", "north"), e.prevHash(), e.hash())),
                Arguments.of("time", (UnaryOperator<AuditEvent>) e -> new AuditEvent(e.seq(), e.time().plusNanos(1000), e.actor(),
                        e.action(), e.objectType(), e.objectId(), e.details(), e.prevHash(), e.hash())),
                Arguments.of("hash", (UnaryOperator<AuditEvent>) e -> new AuditEvent(e.seq(), e.time(), e.actor(), e.action(),
                        e.objectType(), e.objectId(), e.details(), e.prevHash(), "00" + e.hash().substring(2))));
    }

    @ParameterizedTest(name = "edited {0}")
    @MethodSource("edits")
    void editedFieldIsCaughtAtThatEvent(String field, UnaryOperator<AuditEvent> edit) {
        TestChains c = TestChains.of(50, 10);
        c.replace(23, edit.apply(c.at(23)));

        assertBroken(c, Kind.HASH_MISMATCH, 23).hasMessage("event 23: hash does not match its content (edited?)");
    }

    @Test
    void editedAndRehashedEventIsCaughtByTheNextLink() {
        TestChains c = TestChains.of(50, 10);
        AuditEvent e = c.at(23);
        c.replace(23, TestChains.rehashed(new AuditEvent(e.seq(), e.time(), "mallory", e.action(), e.objectType(),
                e.objectId(), e.details(), e.prevHash(), e.hash())));

        assertBroken(c, Kind.PREV_HASH_MISMATCH, 24).hasMessageContaining("not the hash of event 23");
    }

    @Test
    void chainRewrittenFromAnEditOnwardIsCaughtAtTheNextCheckpoint() {
        TestChains c = TestChains.of(50, 10);
        AuditEvent prev = c.at(22);
        for (long s = 23; s <= 50; s++) {
            AuditEvent e = c.at(s);
            String actor = s == 23 ? "mallory" : e.actor();
            AuditEvent forged = TestChains.rehashed(new AuditEvent(s, e.time(), actor, e.action(), e.objectType(),
                    e.objectId(), e.details(), prev.hash(), e.hash()));
            c.replace(s, forged);
            prev = forged;
        }

        assertBroken(c, Kind.CHECKPOINT_MISMATCH, 30).hasMessageContaining("differs from the signed checkpoint");
    }

    @Test
    void deletedMiddleEventIsAGapAtItsSeq() {
        TestChains c = TestChains.of(50, 10);
        c.events.remove(c.at(17));

        assertBroken(c, Kind.SEQUENCE_GAP, 17).hasMessage("event 17: missing, the chain jumps to event 18 (deleted?)");
    }

    @Test
    void deletedHeadIsAGapAtOne() {
        TestChains c = TestChains.of(50, 10);
        c.events.subList(0, 3).clear();

        assertBroken(c, Kind.SEQUENCE_GAP, 1).hasMessageContaining("missing together with the next 2");
    }

    @Test
    void insertedForgedEventWithDuplicateSeqIsCaught() {
        TestChains c = TestChains.of(50, 10);
        // Forged "event 21", correctly linked to 20 and correctly hashed, placed before the real 21.
        AuditEvent forged = AuditChain.append(c.at(20), new AuditEventDraft("mallory", "grant.create", "grant", "g-1", null),
                c.at(20).time().plusMillis(1));
        c.events.add(20, forged);

        assertBroken(c, Kind.DUPLICATE_OR_REORDERED, 21).hasMessageContaining("appears again after event 21");
    }

    @Test
    void insertedForgedEventWithWrongLinkageIsCaught() {
        TestChains c = TestChains.of(50, 10);
        // Replaces 21 with a self-consistent event that links to something other than event 20.
        AuditEvent real = c.at(21);
        c.replace(21, TestChains.rehashed(new AuditEvent(21, real.time(), "mallory", "grant.create", "grant", "g-1",
                Map.of(), "ee".repeat(32), real.hash())));

        assertBroken(c, Kind.PREV_HASH_MISMATCH, 21).hasMessage("event 21: prevHash is not the hash of event 20 (inserted or replaced?)");
    }

    @Test
    void swappedEventsAreReportedAsReordered() {
        TestChains c = TestChains.of(50, 10);
        Collections.swap(c.events, 33, 34); // seq 34 and 35

        assertBroken(c, Kind.DUPLICATE_OR_REORDERED, 34).hasMessageContaining("event 35 is stored before it");
    }

    @Test
    void tailTruncatedPastACheckpointIsCaught() {
        TestChains c = TestChains.of(50, 10);
        c.events.subList(44, 50).clear(); // keep 1..44; checkpoint at 50 remains

        assertBroken(c, Kind.CHECKPOINT_MISSING_EVENT, 50).hasMessageContaining("chain ends at event 44");
    }

    @Test
    void allEventsDeletedButCheckpointsKeptIsCaught() {
        TestChains c = TestChains.of(50, 10);
        c.events.clear();

        assertBroken(c, Kind.CHECKPOINT_MISSING_EVENT, 10).hasMessageContaining("no events");
    }

    @Test
    void tailTruncatedAfterTheLastCheckpointIsNotDetectable() {
        // Documented restriction: the shortened chain is consistent.
        TestChains c = TestChains.of(50, 10);
        c.events.subList(40, 50).clear();
        c.checkpoints.removeIf(cp -> cp.seq() == 50);
        assertThat(c.verify().lastSeq()).isEqualTo(40);
    }

    @Test
    void forgedCheckpointSignatureIsCaught() {
        TestChains c = TestChains.of(50, 10);
        Checkpoint real = c.checkpoints.get(2); // seq 30
        String sig = real.signature();
        String flipped = (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1);
        c.checkpoints.set(2, new Checkpoint(real.seq(), real.headHash(), real.time(), real.keyId(), flipped));

        assertBroken(c, Kind.CHECKPOINT_SIGNATURE, 30).hasMessageContaining("checkpoint at event 30");
    }

    @Test
    void checkpointSignedByAnotherKeyIsCaught() {
        TestChains c = TestChains.of(50, 10);
        SigningKey other = SigningKey.generate();
        c.checkpoints.set(1, Checkpoint.sign(20, c.at(20).hash(), Instant.now(), other));

        assertBroken(c, Kind.CHECKPOINT_SIGNATURE, 20).hasMessageContaining("signed by key " + other.keyId());
    }

    @Test
    void strayUnsignedCheckpointBeyondTheTailIsASignatureErrorNotTruncation() {
        TestChains c = TestChains.of(50, 10);
        Checkpoint c50 = c.checkpoints.get(4);
        c.checkpoints.add(new Checkpoint(60, c50.headHash(), c50.time(), c50.keyId(), c50.signature()));

        assertBroken(c, Kind.CHECKPOINT_SIGNATURE, 60);
    }

    @Test
    void segmentIsVerifiedFromAnAnchorCheckpoint() {
        TestChains c = TestChains.of(50, 10);
        List<AuditEvent> tail = c.events.subList(20, 50); // 21..50
        VerificationReport r = AuditVerifier.verify(tail.iterator(), c.checkpoints, TestChains.KEY.verifyingKey(),
                c.at(20).hash(), 21);
        assertThat(r).isEqualTo(new VerificationReport(30, 21, 50, c.at(50).hash(), 4)); // anchor 20 + 30, 40, 50

        assertThatThrownBy(() -> AuditVerifier.verify(tail.iterator(), c.checkpoints, TestChains.KEY.verifyingKey(),
                "ee".repeat(32), 21))
                .isInstanceOfSatisfying(AuditChainBrokenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CHECKPOINT_MISMATCH);
                    assertThat(e.seq()).isEqualTo(20);
                });
    }

    @Test
    void eventsAreStreamedNotCollected() {
        // 100k events generated on the fly; the verifier must not need them all at once.
        int n = 100_000;
        Iterator<AuditEvent> generated = new Iterator<>() {
            AuditEvent prev;
            int made;

            @Override
            public boolean hasNext() {
                return made < n;
            }

            @Override
            public AuditEvent next() {
                if (!hasNext()) throw new NoSuchElementException();
                made++;
                prev = AuditChain.append(prev, new AuditEventDraft("a", "b", "c", null, null), TestChains.T0.plusSeconds(made));
                return prev;
            }
        };
        assertThat(AuditVerifier.verify(generated, List.of(), null, AuditChain.GENESIS, 1).events()).isEqualTo(n);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertBroken(TestChains c, Kind kind, long seq) {
        return assertThatThrownBy(c::verify)
                .isInstanceOfSatisfying(AuditChainBrokenException.class, e -> {
                    assertThat(e.kind()).as("kind").isEqualTo(kind);
                    assertThat(e.seq()).as("seq").isEqualTo(seq);
                    assertThat(e.getMessage()).as("message names the seq").contains("event " + seq);
                });
    }
}
