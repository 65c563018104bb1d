package org.sallyport.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32C;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Reads the golden recording following FORMAT.md only (JDK crypto; Ed25519 through VerifyingKey), without the
 * production codecs: if this test and the implementation disagree, FORMAT.md is wrong or the code is.
 */
class FormatSpecTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/RecordingGoldenTest/small-session/recording.sprec");

    @Test
    void goldenRecordingFollowsFormatMd() throws Exception {
        ByteBuffer f = ByteBuffer.wrap(Files.readAllBytes(GOLDEN));
        byte[] magic = new byte[8];
        f.get(magic);
        assertThat(magic).containsExactly(0x53, 0x50, 0x52, 0x45, 0x43, 0x00, 0x00, 0x01);

        byte[] headerRecord = record(f, 'H');
        ByteBuffer h = ByteBuffer.wrap(headerRecord, 9, headerRecord.length - 9);
        String recordingId = str(h);
        String sessionId = str(h);
        long createdMicros = h.getLong();
        int maxChunk = h.getInt();
        String kekId = str(h);
        String signerKeyId = str(h);
        int attributes = h.getInt();
        for (int i = 0; i < 2 * attributes; i++) str(h);
        assertThat(str(h)).isEqualTo("A256GCM");
        byte[] wrapNonce = new byte[12];
        h.get(wrapNonce);
        byte[] wrapped = new byte[h.getInt()];
        h.get(wrapped);
        assertThat(h.hasRemaining()).isFalse();
        byte[] headerHash = sha256(magic, headerRecord);

        Cipher unwrap = Cipher.getInstance("AES/GCM/NoPadding");
        unwrap.init(Cipher.DECRYPT_MODE, new SecretKeySpec(TestRecordings.KEK, "AES"), new GCMParameterSpec(128, wrapNonce));
        unwrap.updateAAD(cat(str("sallyport-recording-dek-v1"), str(recordingId), str(kekId)));
        SecretKeySpec dek = new SecretKeySpec(unwrap.doFinal(wrapped), "AES");

        byte[] prev = headerHash;
        long index = 0;
        long frames = 0;
        long[] totals = new long[3];
        StringBuilder output = new StringBuilder();
        while (f.get(f.position()) == 'C') {
            byte[] rec = record(f, 'C');
            ByteBuffer c = ByteBuffer.wrap(rec, 9, rec.length - 9);
            assertThat(c.getLong()).isEqualTo(index);
            byte[] storedPrev = new byte[32];
            c.get(storedPrev);
            assertThat(storedPrev).isEqualTo(prev);
            byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(index).array();
            Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
            open.init(Cipher.DECRYPT_MODE, dek, new GCMParameterSpec(128, nonce));
            open.updateAAD(cat(str("sallyport-recording-chunk-v1"), str(recordingId), ByteBuffer.allocate(8).putLong(index).array(), prev));
            byte[] plain = open.doFinal(rec, 9 + 40, rec.length - 49);
            assertThat(plain.length).isLessThanOrEqualTo(maxChunk);
            ByteBuffer p = ByteBuffer.wrap(plain);
            while (p.hasRemaining()) {
                p.getLong();
                p.getInt();
                int direction = p.get();
                byte[] data = new byte[p.getInt()];
                p.get(data);
                frames++;
                totals[direction] += data.length;
                if (direction == 1) output.append(new String(data, StandardCharsets.ISO_8859_1));
            }
            prev = sha256(rec);
            index++;
        }

        byte[] manifestRecord = record(f, 'M');
        assertThat(f.hasRemaining()).isFalse();
        ByteBuffer mb = ByteBuffer.wrap(manifestRecord, 9, manifestRecord.length - 9);
        byte[] m = new byte[mb.getInt()];
        mb.get(m);
        byte[] signature = new byte[mb.getInt()];
        mb.get(signature);
        TestRecordings.SIGNER.verifyingKey().verify(m, signature);

        ByteBuffer expectedStart = ByteBuffer.allocate(1024);
        expectedStart.put(str("sallyport-recording-manifest-v1")).putInt(1).put(str(recordingId)).put(str(sessionId))
                .putLong(createdMicros);
        byte[] start = Arrays.copyOf(expectedStart.array(), expectedStart.position());
        assertThat(Arrays.copyOf(m, start.length)).isEqualTo(start);
        ByteBuffer rest = ByteBuffer.wrap(m, start.length + 8, m.length - start.length - 8); // after closedAt
        assertThat(rest.getLong()).isEqualTo(frames);
        assertThat(rest.getLong()).isEqualTo(totals[0]);
        assertThat(rest.getLong()).isEqualTo(totals[1]);
        assertThat(rest.getLong()).isEqualTo(totals[2]);
        assertThat(rest.getLong()).isEqualTo(index);
        byte[] hh = new byte[32];
        rest.get(hh);
        byte[] head = new byte[32];
        rest.get(head);
        assertThat(hh).isEqualTo(headerHash);
        assertThat(head).isEqualTo(prev);
        assertThat(str(rest)).isEqualTo(kekId);
        assertThat(str(rest)).isEqualTo(signerKeyId).isEqualTo(TestRecordings.SIGNER.keyId());
        assertThat(rest.hasRemaining()).isFalse();
        assertThat(index).isEqualTo(2);
        assertThat(output.toString()).startsWith("camera-17 maintenance shell");
    }

    private static byte[] record(ByteBuffer f, char tag) {
        int at = f.position();
        byte[] prefix = new byte[9];
        f.get(prefix);
        assertThat((char) prefix[0]).isEqualTo(tag);
        CRC32C crc = new CRC32C();
        crc.update(prefix, 0, 5);
        assertThat(ByteBuffer.wrap(prefix, 5, 4).getInt()).isEqualTo((int) crc.getValue());
        int len = ByteBuffer.wrap(prefix, 1, 4).getInt();
        byte[] rec = new byte[9 + len];
        f.position(at);
        f.get(rec);
        return rec;
    }

    private static String str(ByteBuffer b) {
        byte[] s = new byte[b.getInt()];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static byte[] str(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        return cat(ByteBuffer.allocate(4).putInt(u.length).array(), u);
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) md.update(p);
        return md.digest();
    }
}
