package org.sallyport.recorder.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.sallyport.recorder.crypto.InvalidSignatureException;
import org.sallyport.recorder.crypto.SigningKey;

class CheckpointTest {
    private static final SigningKey KEY = SigningKey.generate();
    private static final Instant T = Instant.parse("2026-03-01T08:00:00.123456789Z");
    private static final String HEAD = "cd".repeat(32);

    @Test
    void signedCheckpointVerifiesAndCarriesKeyIdAndMicros() {
        Checkpoint c = Checkpoint.sign(10, HEAD, T, KEY);

        assertThat(c.keyId()).isEqualTo(KEY.keyId());
        assertThat(c.time()).isEqualTo(Instant.parse("2026-03-01T08:00:00.123456Z"));
        assertThat(Base64.getDecoder().decode(c.signature())).hasSize(64);
        c.verify(KEY.verifyingKey());
    }

    @Test
    void signatureCoversTheEncodingSpecifiedInAuditMd() throws IOException {
        Checkpoint c = Checkpoint.sign(10, HEAD, T, KEY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeStr(out, "sallyport-checkpoint-v1");
        out.writeLong(10);
        writeStr(out, HEAD);
        out.writeLong(T.getEpochSecond() * 1_000_000 + 123_456);
        writeStr(out, KEY.keyId());

        KEY.verifyingKey().verify(bytes.toByteArray(), Base64.getDecoder().decode(c.signature()));
    }

    @Test
    void anyChangedFieldBreaksTheSignature() {
        Checkpoint c = Checkpoint.sign(10, HEAD, T, KEY);
        var key = KEY.verifyingKey();
        assertThatThrownBy(() -> new Checkpoint(11, c.headHash(), c.time(), c.keyId(), c.signature()).verify(key))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("checkpoint at event 11");
        assertThatThrownBy(() -> new Checkpoint(10, "ef".repeat(32), c.time(), c.keyId(), c.signature()).verify(key))
                .isInstanceOf(InvalidSignatureException.class);
        assertThatThrownBy(() -> new Checkpoint(10, c.headHash(), c.time().plusNanos(1000), c.keyId(), c.signature()).verify(key))
                .isInstanceOf(InvalidSignatureException.class);
        assertThatThrownBy(() -> new Checkpoint(10, c.headHash(), c.time(), c.keyId(), "!!not base64!!").verify(key))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("not base64");
    }

    @Test
    void checkpointOfAnotherKeySaysSo() {
        SigningKey other = SigningKey.generate();
        Checkpoint c = Checkpoint.sign(10, HEAD, T, other);

        assertThatThrownBy(() -> c.verify(KEY.verifyingKey()))
                .isInstanceOf(InvalidSignatureException.class)
                .hasMessageContaining("signed by key " + other.keyId())
                .hasMessageContaining("not by the verifying key " + KEY.keyId());
        // Relabelled with our key id, the signature itself still fails.
        Checkpoint relabelled = new Checkpoint(10, HEAD, c.time(), KEY.keyId(), c.signature());
        assertThatThrownBy(() -> relabelled.verify(KEY.verifyingKey())).isInstanceOf(InvalidSignatureException.class);
    }

    private static void writeStr(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
