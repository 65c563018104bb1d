package org.sallyport.recorder.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private static final byte[] KEY = randomBytes(32);
    private static final SecretBox BOX = SecretBox.of(KEY);
    private static final byte[] AAD = "recording 42 chunk 7".getBytes(UTF_8);

    @Test
    void sealedOpensToThePlaintext() {
        byte[] plain = "face image bytes".getBytes(UTF_8);
        byte[] sealed = BOX.seal(plain, AAD);

        assertThat(sealed).hasSize(12 + plain.length + 16);
        assertThat(BOX.open(sealed, AAD)).isEqualTo(plain);
        assertThat(SecretBox.of(KEY.clone()).open(sealed, AAD)).isEqualTo(plain);
        assertThat(BOX.open(BOX.seal(new byte[0], null), null)).isEmpty();
        assertThat(BOX.open(BOX.seal(plain, null), new byte[0])).isEqualTo(plain);
    }

    @Property(tries = 200)
    void anyFlippedByteIsRejected(@ForAll @Size(max = 64) byte[] plain, @ForAll @IntRange(min = 0, max = 1000) int where,
                                  @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] sealed = BOX.seal(plain, AAD);
        sealed[where % sealed.length] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> BOX.open(sealed, AAD)).isInstanceOf(DecryptionException.class);
    }

    @Test
    void wrongAssociatedDataOrWrongKeyIsRejectedWithoutRevealingAnything() {
        byte[] plain = "secret-device-password".getBytes(UTF_8);
        byte[] sealed = BOX.seal(plain, AAD);

        assertThatThrownBy(() -> BOX.open(sealed, "recording 42 chunk 8".getBytes(UTF_8)))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("authentication failed")
                .hasMessageNotContaining("secret-device-password")
                .hasMessageNotContaining(Hashes.hex(KEY));
        assertThatThrownBy(() -> BOX.open(sealed, null)).isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> SecretBox.of(randomBytes(32)).open(sealed, AAD)).isInstanceOf(DecryptionException.class);
    }

    @Test
    void truncatedInputIsRejected() {
        byte[] sealed = BOX.seal(new byte[0], AAD);
        assertThat(sealed).hasSize(28);
        assertThatThrownBy(() -> BOX.open(java.util.Arrays.copyOf(sealed, 27), AAD))
                .isInstanceOf(DecryptionException.class).hasMessageContaining("shorter than the minimum 28");
        assertThatThrownBy(() -> BOX.open(new byte[0], AAD)).isInstanceOf(DecryptionException.class);
    }

    @Test
    void everySealUsesAFreshNonce() {
        Set<String> nonces = new HashSet<>();
        for (int i = 0; i < 1000; i++) nonces.add(Hashes.hex(java.util.Arrays.copyOf(BOX.seal(new byte[1], AAD), 12)));
        assertThat(nonces).hasSize(1000);
    }

    @Test
    void keyOfWrongLengthIsRefusedClearly() {
        assertThatThrownBy(() -> SecretBox.of(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("AES-256-GCM key must be 32 bytes, got 16");
    }

    @Test
    void keyIsCopiedAndHiddenFromToString() {
        byte[] key = randomBytes(32);
        SecretBox box = SecretBox.of(key);
        byte[] sealed = box.seal(new byte[] {1, 2, 3}, null);
        java.util.Arrays.fill(key, (byte) 0);

        assertThat(box.open(sealed, null)).containsExactly(1, 2, 3);
        assertThat(box.toString()).doesNotContain(Hashes.hex(KEY)).contains("hidden");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
