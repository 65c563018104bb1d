package org.sallyport.recorder.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VerifyingKeyTest {

    @Test
    void pemRoundTripAndRfc8410Example() {
        // RFC 8410 section 10.1 example public key.
        String rfc = """
                -----BEGIN PUBLIC KEY-----
                MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
                -----END PUBLIC KEY-----
                """;
        VerifyingKey key = VerifyingKey.fromPem(rfc);
        assertThat(Hashes.hex(key.raw())).isEqualTo("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1");
        assertThat(key.toPem().replace("\r", "")).isEqualTo(rfc);
        assertThat(VerifyingKey.fromPem(key.toPem())).isEqualTo(key).hasSameHashCodeAs(key);
    }

    @Test
    void keyIdIsFirst16HexOfSha256OfRawKey() {
        VerifyingKey key = SigningKey.generate().verifyingKey();
        assertThat(key.keyId()).hasSize(16).isEqualTo(Hashes.hex(Hashes.sha256(key.raw())).substring(0, 16));
        assertThat(key.toString()).contains(key.keyId());
    }

    @Test
    void rawReturnsACopy() {
        VerifyingKey key = SigningKey.generate().verifyingKey();
        byte[] raw = key.raw();
        raw[0] ^= 1;
        assertThat(key.raw()).isNotEqualTo(raw).hasSize(32);
    }

    @Test
    void privateKeyPemOrWrongLengthIsRejected() {
        assertThatThrownBy(() -> VerifyingKey.fromPem(SigningKey.generate().toPem()))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("\"PRIVATE KEY\" but \"PUBLIC KEY\" is expected");
        assertThatThrownBy(() -> VerifyingKey.fromRaw(new byte[31]))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("32 bytes, got 31");
    }
}
