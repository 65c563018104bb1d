package org.sallyport.recorder.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.crypto.RecipientKey;
import org.sallyport.recorder.crypto.SigningKey;
import org.sallyport.recorder.evidence.EvidenceVerificationException.Kind;

class EvidenceBundleTest {
    @TempDir
    Path dir;
    EvidenceFixture fx;

    @BeforeEach
    void history() throws Exception {
        fx = new EvidenceFixture(dir, 3);
    }

    private EvidenceVerificationException fails(Path bundle) {
        return assertThrows(EvidenceVerificationException.class, () -> EvidenceVerifier.verify(bundle, fx.key.verifyingKey(), null));
    }

    @Test
    void exportedBundleVerifiesOfflineWithOnlyTheBundle() throws Exception {
        Path b = fx.export(RecordingMode.SEALED);
        EvidenceSummary s = EvidenceVerifier.verify(b, null, null);
        assertEquals(1, s.firstSeq());
        assertEquals(fx.events.size(), s.lastSeq());
        assertEquals(fx.events.size(), s.selectedEvents());
        assertEquals(3, s.sessions());
        assertEquals(3, s.recordingsVerified());
        assertFalse(s.keyPinned());
        assertTrue(s.describe().contains("evidence bundle verified"), s.describe());
        assertTrue(EvidenceVerifier.verify(b, fx.key.verifyingKey(), null).keyPinned());
    }

    @Test
    void recordingsSealedToTheInspectorDecryptOnlyWithTheirKey() throws Exception {
        Path b = fx.export(RecordingMode.RECIPIENT);
        EvidenceSummary s = EvidenceVerifier.verify(b, fx.key.verifyingKey(), fx.inspector);
        assertEquals(3, s.recordingsDecrypted());
        // without the private key it still verifies chain and signature of every recording
        assertEquals(0, EvidenceVerifier.verify(b, fx.key.verifyingKey(), null).recordingsDecrypted());
        var e = assertThrows(EvidenceVerificationException.class,
                () -> EvidenceVerifier.verify(b, fx.key.verifyingKey(), RecipientKey.generate()));
        assertEquals(Kind.RECORDING, e.kind());
        assertEquals("recordings/rec-1.key.hpke", e.file());
    }

    @Test
    void manifestsOnlyBundleVerifiesEachRecordingsSignedManifest() throws Exception {
        Path b = fx.export(RecordingMode.MANIFESTS);
        assertEquals(3, EvidenceVerifier.verify(b, fx.key.verifyingKey(), null).recordingsVerified());
        var files = EvidenceFixture.read(b);
        assertFalse(files.keySet().stream().anyMatch(n -> n.endsWith(".sprec")));
    }

    @Test
    void csvNeutralisesFormulasAndQuotes() throws Exception {
        var files = EvidenceFixture.read(fx.export(RecordingMode.NONE));
        String csv = new String(files.get("events.csv"), StandardCharsets.UTF_8);
        assertTrue(csv.startsWith(EvidenceFormat.CSV_HEADER + "\r\n"));
        assertTrue(csv.contains("\\\"\"quoted\\\"\""), "quotes doubled inside a quoted cell");
        AuditEvent formula = new AuditEvent(9, EvidenceFixture.T0, "=HYPERLINK(\"http://x\")", "a", "t", "-2+3", Map.of(), "p", "h");
        String row = EvidenceFormat.csvLine(formula);
        assertTrue(row.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), row);
        assertTrue(row.contains(",'-2+3,"), row);
    }

    // ---- tampering: a flipped byte in each kind of file ----

    @ParameterizedTest
    @ValueSource(strings = {"evidence.json", "events.jsonl", "events.csv", "chain/segment.jsonl", "chain/checkpoints.jsonl",
            "sessions.jsonl", "broker-key.pem", "MANIFEST.json", "MANIFEST.sig", "recordings/rec-2.sprec", "recordings/rec-2.key.hpke"})
    void aFlippedByteInAnyFileIsCaughtAndNamed(String file) throws Exception {
        Path b = fx.export(RecordingMode.RECIPIENT);
        var files = EvidenceFixture.read(b);
        byte[] content = files.get(file);
        int at = content.length / 2;
        content[at] ^= 0x01;
        var e = assertThrows(EvidenceVerificationException.class,
                () -> EvidenceVerifier.verify(EvidenceFixture.write(b, files), fx.key.verifyingKey(), fx.inspector));
        assertFalse(e.unusableInput(), e.getMessage());
        Set<String> named = switch (file) {
            case "MANIFEST.json", "MANIFEST.sig" -> Set.of("MANIFEST.sig");
            case "broker-key.pem" -> Set.of("broker-key.pem");
            default -> Set.of(file);
        };
        assertTrue(named.contains(e.file()), file + " -> " + e.getMessage());
    }

    @Test
    void anEditedEventInTheChainIsNamedBySequenceNumber() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var files = EvidenceFixture.read(b);
        List<String> seg = EvidenceFixture.lines(files.get(EvidenceFormat.SEGMENT));
        seg.set(7, seg.get(7).replace("\"actor\":\"supervisor\"", "\"actor\":\"superviser\""));
        files.put(EvidenceFormat.SEGMENT, EvidenceFixture.join(seg));
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.CHAIN_BROKEN, e.kind());
        assertEquals(8, e.seq());
        assertTrue(e.getMessage().contains("HASH_MISMATCH"), e.getMessage());
    }

    @Test
    void anEventDeletedFromTheChainIsNamed() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var files = EvidenceFixture.read(b);
        List<String> seg = EvidenceFixture.lines(files.get(EvidenceFormat.SEGMENT));
        seg.remove(6); // event 7
        files.put(EvidenceFormat.SEGMENT, EvidenceFixture.join(seg));
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.CHAIN_BROKEN, e.kind());
        assertEquals(7, e.seq());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void eventsReorderedInTheChainAreNamed() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var files = EvidenceFixture.read(b);
        List<String> seg = EvidenceFixture.lines(files.get(EvidenceFormat.SEGMENT));
        Collections.swap(seg, 8, 9);
        files.put(EvidenceFormat.SEGMENT, EvidenceFixture.join(seg));
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.CHAIN_BROKEN, e.kind());
        assertEquals(9, e.seq());
        assertTrue(e.getMessage().contains("out of order"), e.getMessage());
    }

    @Test
    void anEventInsertedIntoTheChainIsNamed() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var files = EvidenceFixture.read(b);
        List<String> seg = EvidenceFixture.lines(files.get(EvidenceFormat.SEGMENT));
        seg.add(4, seg.get(3));
        files.put(EvidenceFormat.SEGMENT, EvidenceFixture.join(seg));
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.CHAIN_BROKEN, e.kind());
        assertEquals(4, e.seq());
    }

    @Test
    void theLastEventDeletedIsCaughtByItsCheckpoint() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var files = EvidenceFixture.read(b);
        List<String> seg = EvidenceFixture.lines(files.get(EvidenceFormat.SEGMENT));
        seg.removeLast();
        files.put(EvidenceFormat.SEGMENT, EvidenceFixture.join(seg));
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.CHAIN_BROKEN, e.kind());
        assertTrue(e.getMessage().contains("CHECKPOINT_MISSING_EVENT"), e.getMessage());
    }

    @Test
    void eventsDeletedReorderedOrInsertedInEventsJsonlAreNamed() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var files = EvidenceFixture.read(b);
        List<String> ev = EvidenceFixture.lines(files.get(EvidenceFormat.EVENTS));

        List<String> deleted = new java.util.ArrayList<>(ev);
        deleted.remove(2);
        files.put(EvidenceFormat.EVENTS, EvidenceFixture.join(deleted));
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.EVENT_MISMATCH, e.kind());
        assertEquals(3, e.seq());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());

        List<String> reordered = new java.util.ArrayList<>(ev);
        Collections.swap(reordered, 4, 5);
        files.put(EvidenceFormat.EVENTS, EvidenceFixture.join(reordered));
        e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.EVENT_MISMATCH, e.kind());

        List<String> forged = new java.util.ArrayList<>(ev);
        forged.set(1, forged.get(1).replace("\"tech1\"", "\"tech9\""));
        files.put(EvidenceFormat.EVENTS, EvidenceFixture.join(forged));
        e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.EVENT_MISMATCH, e.kind());
        assertEquals(2, e.seq());
        assertTrue(e.getMessage().contains("differs from the chain"), e.getMessage());
    }

    @Test
    void aCsvRowThatDisagreesWithTheEventsIsNamed() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var files = EvidenceFixture.read(b);
        String csv = new String(files.get(EvidenceFormat.EVENTS_CSV), StandardCharsets.UTF_8).replace("supervisor", "nobody");
        files.put(EvidenceFormat.EVENTS_CSV, csv.getBytes(StandardCharsets.UTF_8));
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.CSV_MISMATCH, e.kind());
        assertEquals(3, e.seq());
    }

    @Test
    void aSwappedRecordingIsCaught() throws Exception {
        Path b = fx.export(RecordingMode.SEALED);
        var files = EvidenceFixture.read(b);
        byte[] one = files.get("recordings/rec-1.sprec");
        files.put("recordings/rec-1.sprec", files.get("recordings/rec-3.sprec"));
        files.put("recordings/rec-3.sprec", one);
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.RECORDING, e.kind());
        assertEquals("recordings/rec-1.sprec", e.file());
        assertTrue(e.getMessage().contains("swapped"), e.getMessage());
    }

    @Test
    void aRecordingChunkAlteredIsNamedByChunk() throws Exception {
        Path b = fx.export(RecordingMode.RECIPIENT);
        var files = EvidenceFixture.read(b);
        byte[] rec = files.get("recordings/rec-3.sprec");
        rec[rec.length / 2] ^= 0x40;
        var e = assertThrows(EvidenceVerificationException.class,
                () -> EvidenceVerifier.verify(EvidenceFixture.write(b, files), fx.key.verifyingKey(), fx.inspector));
        assertEquals(Kind.RECORDING, e.kind());
        assertTrue(e.chunk() >= 0, e.getMessage());
    }

    @Test
    void aTruncatedZipIsCaughtAsCorruptNotUnusable() throws Exception {
        Path b = fx.export(RecordingMode.SEALED);
        byte[] all = Files.readAllBytes(b);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, Arrays.copyOf(all, all.length * 2 / 3));
        var e = fails(cut);
        assertEquals(Kind.BUNDLE_CORRUPT, e.kind());
        assertFalse(e.unusableInput());
    }

    @Test
    void somethingThatIsNotABundleIsUnusableInput() throws Exception {
        Path junk = dir.resolve("junk.zip");
        Files.writeString(junk, "hello");
        assertTrue(fails(junk).unusableInput());
        assertTrue(fails(dir.resolve("absent.zip")).unusableInput());
    }

    @Test
    void aBundleFromAnotherBrokerFailsAgainstThePinnedKey() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var e = assertThrows(EvidenceVerificationException.class,
                () -> EvidenceVerifier.verify(b, SigningKey.generate().verifyingKey(), null));
        assertEquals(Kind.KEY_MISMATCH, e.kind());
    }

    @Test
    void aForgerWhoResignsWithTheirOwnKeyIsCaughtByTheCheckpoints() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var files = EvidenceFixture.read(b);
        SigningKey forger = SigningKey.generate();
        List<String> ev = EvidenceFixture.lines(files.get(EvidenceFormat.EVENTS));
        files.put(EvidenceFormat.BROKER_KEY, forger.verifyingKey().toPem().getBytes(StandardCharsets.US_ASCII));
        // re-list digests and re-sign as the forger would
        Path resigned = resign(b, files, forger);
        var e = assertThrows(EvidenceVerificationException.class, () -> EvidenceVerifier.verify(resigned, null, null));
        assertEquals(Kind.CHAIN_BROKEN, e.kind());
        assertTrue(e.getMessage().contains("CHECKPOINT_SIGNATURE"), e.getMessage());
        assertFalse(ev.isEmpty());
    }

    @Test
    void anExtraFileIsCaught() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var files = EvidenceFixture.read(b);
        files.put("notes.txt", "nothing to see".getBytes());
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.EXTRA_FILE, e.kind());
        assertEquals("notes.txt", e.file());
    }

    @Test
    void aMissingFileIsCaught() throws Exception {
        Path b = fx.export(RecordingMode.SEALED);
        var files = EvidenceFixture.read(b);
        files.remove("recordings/rec-2.sprec");
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.MISSING_FILE, e.kind());
        assertEquals("recordings/rec-2.sprec", e.file());
    }

    @Test
    void aSessionIndexThatDisagreesWithTheChainIsNamed() throws Exception {
        Path b = fx.export(RecordingMode.NONE);
        var files = EvidenceFixture.read(b);
        String s = new String(files.get(EvidenceFormat.SESSIONS), StandardCharsets.UTF_8).replace("terminated-by-supervisor", "completed");
        files.put(EvidenceFormat.SESSIONS, s.getBytes(StandardCharsets.UTF_8));
        var e = fails(EvidenceFixture.write(b, files));
        assertEquals(Kind.SESSION_MISMATCH, e.kind());
        assertTrue(e.getMessage().contains("end reason"), e.getMessage());
    }

    @Test
    void aFilteredExportChecksEachSelectedEventAgainstTheChain() throws Exception {
        List<AuditEvent> selected = fx.events.stream().filter(e -> e.actor().equals("tech2") || "sess-2".equals(e.objectId())).toList();
        Path b = fx.export(RecordingMode.NONE, Map.of("vendor", "acme"), selected);
        EvidenceSummary s = EvidenceVerifier.verify(b, fx.key.verifyingKey(), null);
        assertEquals(selected.size(), s.selectedEvents());
        assertEquals(Map.of("vendor", "acme"), s.filter());
    }

    private static Path resign(Path b, Map<String, byte[]> files, SigningKey forger) throws Exception {
        var manifest = EvidenceFormat.JSON.createObjectNode();
        manifest.put("format", EvidenceFormat.FORMAT);
        manifest.put("signerKeyId", forger.keyId());
        var list = manifest.putArray("files");
        for (var e : files.entrySet()) {
            if (e.getKey().startsWith("MANIFEST")) continue;
            var f = list.addObject();
            f.put("path", e.getKey());
            f.put("size", e.getValue().length);
            f.put("sha256", org.sallyport.recorder.crypto.Hashes.hex(org.sallyport.recorder.crypto.Hashes.sha256(e.getValue())));
        }
        byte[] m = (EvidenceFormat.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n").getBytes(StandardCharsets.UTF_8);
        files.put(EvidenceFormat.MANIFEST, m);
        files.put(EvidenceFormat.SIGNATURE, java.util.Base64.getEncoder().encode(forger.sign(EvidenceWriter.signedBytes(m))));
        return EvidenceFixture.write(b, files);
    }
}
