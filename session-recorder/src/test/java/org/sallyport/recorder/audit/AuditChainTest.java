package org.sallyport.recorder.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sallyport.recorder.crypto.Hashes;

class AuditChainTest {
    private static final Instant T = Instant.parse("2026-03-01T08:00:00.123456Z");

    @Test
    void firstEventFollowsGenesisAndNextLinksToIt() {
        AuditEvent first = AuditChain.append(null, draft("alice", "login", null), T);
        AuditEvent second = AuditChain.append(first, draft("alice", "request.create", "req-1"), T.plusSeconds(1));

        assertThat(AuditChain.GENESIS).hasSize(64).matches("0+");
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(first.hash()).matches("[0-9a-f]{64}").isEqualTo(AuditChain.recompute(first));
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(second.hash()).isEqualTo(AuditChain.recompute(second));
    }

    @Test
    void timeIsTruncatedToMicrosSoADatabaseRoundTripKeepsTheHash() {
        AuditEvent e = AuditChain.append(null, draft("alice", "login", null), Instant.parse("2026-03-01T08:00:00.123456789Z"));
        assertThat(e.time()).isEqualTo(T);

        // As read back from a TIMESTAMP(6) column.
        AuditEvent stored = new AuditEvent(e.seq(), Instant.parse("2026-03-01T08:00:00.123456Z"), e.actor(), e.action(),
                e.objectType(), e.objectId(), e.details(), e.prevHash(), e.hash());
        assertThat(AuditChain.recompute(stored)).isEqualTo(e.hash());
    }

    @Test
    void fieldBoundariesCannotCollide() {
        String ab = hash("ab", "c", "t", "x", Map.of());
        String bc = hash("a", "bc", "t", "x", Map.of());
        assertThat(ab).isNotEqualTo(bc);
        assertThat(hash("a", "b", "ct", "x", Map.of())).isNotEqualTo(hash("a", "b", "c", "tx", Map.of()));
        assertThat(hash("a", "b", "c", null, Map.of("k", "v=w"))).isNotEqualTo(hash("a", "b", "c", null, Map.of("k=v", "w")));
        assertThat(hash("a", "b", "c", null, Map.of("k", "vw"))).isNotEqualTo(hash("a", "b", "c", null, Map.of("kv", "w")));
        assertThat(hash("a", "b", "c", null, Map.of("k", ""))).isNotEqualTo(hash("a", "b", "c", null, Map.of()));
    }

    @Test
    void nullObjectIdDiffersFromEmpty() {
        assertThat(hash("a", "b", "c", null, Map.of())).isNotEqualTo(hash("a", "b", "c", "", Map.of()));
    }

    @Test
    void detailOrderDoesNotMatterButContentDoes() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("z", "1");
        one.put("a", "2");
        Map<String, String> two = new LinkedHashMap<>();
        two.put("a", "2");
        two.put("z", "1");
        assertThat(hash("a", "b", "c", null, one)).isEqualTo(hash("a", "b", "c", null, two));
        assertThat(hash("a", "b", "c", null, Map.of("a", "2", "z", "2"))).isNotEqualTo(hash("a", "b", "c", null, two));
    }

    /** An independent implementation of AUDIT.md, as an outside verifier would write it, pins the format. */
    @Test
    void hashMatchesTheEncodingSpecifiedInAuditMd() throws IOException {
        Map<String, String> details = Map.of("\u00e9t\u00e9", "caf\u00e9", "b", "2", "\ud83d\ude00", "emoji", "\uffff", "max-bmp");
        String hash = AuditChain.computeHash(7, T, "alice", "request.approve", "access-request", "req-9", details,
                "ab".repeat(32));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeStr(out, "sallyport-audit-v1");
        out.writeLong(7);
        out.writeLong(T.getEpochSecond() * 1_000_000 + 123_456);
        writeStr(out, "alice");
        writeStr(out, "request.approve");
        writeStr(out, "access-request");
        out.writeByte(1);
        writeStr(out, "req-9");
        out.writeInt(4);
        // UTF-8 byte order: "b" (62) < "été" (c3 a9) < U+FFFF (ef bf bf) < U+1F600 (f0 9f 98 80).
        // (Java's String order would put the surrogate pair before U+FFFF.)
        writeStr(out, "b");
        writeStr(out, "2");
        writeStr(out, "\u00e9t\u00e9");
        writeStr(out, "caf\u00e9");
        writeStr(out, "\uffff");
        writeStr(out, "max-bmp");
        writeStr(out, "\ud83d\ude00");
        writeStr(out, "emoji");
        writeStr(out, "ab".repeat(32));

        assertThat(hash).isEqualTo(Hashes.hex(Hashes.sha256(bytes.toByteArray())));
        // Golden value: changing it breaks every stored chain. Bump the version tag instead.
        assertThat(hash).isEqualTo(GOLDEN);
    }

    private static final String GOLDEN = "9a08343143fc96291fa65e056678a0198271e89ded0e95af4f0b5a3b9043e004";

    @Test
    void nullObjectIdIsEncodedAsASingleZeroByte() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeStr(out, "sallyport-audit-v1");
        out.writeLong(1);
        out.writeLong(-1); // one microsecond before the epoch: floored, not rounded toward zero
        writeStr(out, "a");
        writeStr(out, "b");
        writeStr(out, "c");
        out.writeByte(0);
        out.writeInt(0);
        writeStr(out, AuditChain.GENESIS);

        Instant justBeforeEpoch = Instant.EPOCH.minusNanos(1);
        assertThat(AuditChain.computeHash(1, justBeforeEpoch, "a", "b", "c", null, null, AuditChain.GENESIS))
                .isEqualTo(Hashes.hex(Hashes.sha256(bytes.toByteArray())));
    }

    @Test
    void draftValidatesAndSortsUpFront() {
        Map<String, String> details = new HashMap<>();
        details.put("z", "1");
        details.put("a", "2");
        AuditEventDraft d = new AuditEventDraft("alice", "login", "session", null, details);
        details.put("late", "x");

        assertThat(d.details()).containsExactly(Map.entry("a", "2"), Map.entry("z", "1"));
        assertThatThrownBy(() -> d.details().put("b", "3")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new AuditEventDraft("alice", "login", "session", null, null).details()).isEmpty();
        assertThatThrownBy(() -> new AuditEventDraft(" ", "login", "session", null, null)).hasMessageContaining("actor");
        assertThatThrownBy(() -> new AuditEventDraft("alice", null, "session", null, null)).hasMessageContaining("action");
        assertThatThrownBy(() -> new AuditEventDraft("alice", "login", "", null, null)).hasMessageContaining("objectType");
        Map<String, String> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThatThrownBy(() -> new AuditEventDraft("alice", "login", "s", null, withNull)).hasMessageContaining("details[k]");
        assertThatThrownBy(() -> new AuditEventDraft("alice\ud800", "login", "s", null, null))
                .hasMessageContaining("actor").hasMessageContaining("Unicode");
    }

    private static String hash(String actor, String action, String objectType, String objectId, Map<String, String> details) {
        return AuditChain.computeHash(1, T, actor, action, objectType, objectId, details, AuditChain.GENESIS);
    }

    private static AuditEventDraft draft(String actor, String action, String objectId) {
        return new AuditEventDraft(actor, action, "access-request", objectId, Map.of());
    }

    private static void writeStr(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
