package org.sallyport.recorder.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.sallyport.recorder.audit.AuditChainBrokenException.Kind;

class AuditTamperPropertyTest {

    enum Field { ACTOR, ACTION, OBJECT_TYPE, OBJECT_ID, DETAIL_VALUE, DETAIL_ADDED, TIME, PREV_HASH }

    @Property(tries = 300)
    void anySingleEventEditFailsAtExactlyThatSeq(@ForAll @IntRange(min = 1, max = 40) int length,
                                                 @ForAll @IntRange(min = 0, max = 7) int checkpointEvery,
                                                 @ForAll @IntRange(min = 1, max = 40) int target,
                                                 @ForAll Field field,
                                                 @ForAll("text") String replacement) {
        int seq = (target - 1) % length + 1;
        TestChains c = TestChains.of(length, checkpointEvery);
        AuditEvent original = c.at(seq);
        AuditEvent edited = edit(original, field, replacement);
        if (AuditChain.recompute(edited).equals(original.hash())) return; // the "edit" changed nothing hashed
        c.replace(seq, edited);

        AuditChainBrokenException e = catchThrowableOfType(AuditChainBrokenException.class, c::verify);

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.HASH_MISMATCH);
        assertThat(e.seq()).isEqualTo(seq);
    }

    @Property(tries = 50)
    void everyUntamperedChainVerifies(@ForAll @IntRange(min = 0, max = 60) int length,
                                      @ForAll @IntRange(min = 0, max = 9) int checkpointEvery) {
        TestChains c = TestChains.of(length, checkpointEvery);
        VerificationReport r = c.verify();
        assertThat(r.events()).isEqualTo(length);
        assertThat(r.checkpointsVerified()).isEqualTo(c.checkpoints.size());
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.isBlank())
                .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)); // well-formed Unicode only
    }

    private static AuditEvent edit(AuditEvent e, Field field, String s) {
        Map<String, String> details = new HashMap<>(e.details());
        return switch (field) {
            case ACTOR -> with(e, s, e.action(), e.objectType(), e.objectId(), e.details(), e.prevHash());
            case ACTION -> with(e, e.actor(), s, e.objectType(), e.objectId(), e.details(), e.prevHash());
            case OBJECT_TYPE -> with(e, e.actor(), e.action(), s, e.objectId(), e.details(), e.prevHash());
            case OBJECT_ID -> with(e, e.actor(), e.action(), e.objectType(), e.objectId() == null ? s : null, e.details(), e.prevHash());
            case DETAIL_VALUE -> {
                details.put("rule", s);
                yield with(e, e.actor(), e.action(), e.objectType(), e.objectId(), details, e.prevHash());
            }
            case DETAIL_ADDED -> {
                details.put("x-" + s, "");
                yield with(e, e.actor(), e.action(), e.objectType(), e.objectId(), details, e.prevHash());
            }
            case TIME -> new AuditEvent(e.seq(), e.time().plusNanos(1000L * (1 + s.length())), e.actor(), e.action(),
                    e.objectType(), e.objectId(), e.details(), e.prevHash(), e.hash());
            case PREV_HASH -> with(e, e.actor(), e.action(), e.objectType(), e.objectId(), e.details(),
                    e.prevHash().substring(0, 63) + (e.prevHash().endsWith("0") ? "1" : "0"));
        };
    }

    private static AuditEvent with(AuditEvent e, String actor, String action, String objectType, String objectId,
                                   Map<String, String> details, String prevHash) {
        return new AuditEvent(e.seq(), e.time(), actor, action, objectType, objectId, details, prevHash, e.hash());
    }
}
