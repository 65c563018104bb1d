package org.sallyport.recorder.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SigningKeyTest {

    /** RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72). */
    @ParameterizedTest(name = "RFC 8032 {0}")
    @CsvSource({
        "TEST 1, 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
                + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a, '',"
                + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        "TEST 2, 4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
                + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c, 72,"
                + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    })
    void rfc8032VectorsGiveExactPublicKeyAndSignature(String name, String secret, String publicKey, String message, String signature) {
        SigningKey key = SigningKey.fromSeed(Hashes.unhex(secret));
        byte[] msg = Hashes.unhex(message == null ? "" : message);

        assertThat(Hashes.hex(key.verifyingKey().raw())).isEqualTo(publicKey);
        assertThat(Hashes.hex(key.sign(msg))).isEqualTo(signature);
        key.verifyingKey().verify(msg, Hashes.unhex(signature));
        VerifyingKey.fromRaw(Hashes.unhex(publicKey)).verify(msg, Hashes.unhex(signature));
    }

    @Test
    void pemRoundTripKeepsTheKey() {
        SigningKey key = SigningKey.generate();
        String pem = key.toPem();

        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----").contains("-----END PRIVATE KEY-----");
        SigningKey back = SigningKey.fromPem(pem);
        assertThat(back.verifyingKey()).isEqualTo(key.verifyingKey());
        assertThat(back.sign("m".getBytes(UTF_8))).isEqualTo(key.sign("m".getBytes(UTF_8)));
        assertThat(back.keyId()).isEqualTo(key.keyId()).isEqualTo(key.verifyingKey().keyId());
    }

    @Test
    void pemIsTheRfc8410Pkcs8ThatOpenSslWrites() {
        // RFC 8410 section 10.3 example private key.
        String rfc = """
                -----BEGIN PRIVATE KEY-----
                MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
                -----END PRIVATE KEY-----
                """;
        SigningKey key = SigningKey.fromPem(rfc);
        assertThat(key.toPem().replace("\r", "")).isEqualTo(rfc);
    }

    @Test
    void signatureOverOtherMessageOrAlteredSignatureIsRejected() {
        SigningKey key = SigningKey.generate();
        byte[] msg = "approve request 7".getBytes(UTF_8);
        byte[] sig = key.sign(msg);

        assertThatThrownBy(() -> key.verifyingKey().verify("approve request 8".getBytes(UTF_8), sig))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining(key.keyId());
        for (int i = 0; i < sig.length; i += 7) {
            byte[] bad = sig.clone();
            bad[i] ^= 0x01;
            assertThatThrownBy(() -> key.verifyingKey().verify(msg, bad)).isInstanceOf(InvalidSignatureException.class);
        }
        assertThatThrownBy(() -> key.verifyingKey().verify(msg, new byte[63]))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> SigningKey.generate().verifyingKey().verify(msg, sig))
                .isInstanceOf(InvalidSignatureException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty text                 | ''                                                                                   | empty",
        "no PEM block               | just some text                                                                       | no PEM block",
        "public key given           | -----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\\n-----END PUBLIC KEY----- | \"PUBLIC KEY\" but \"PRIVATE KEY\" is expected",
        "missing END line           | -----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC | malformed PEM",
        "not DER inside             | -----BEGIN PRIVATE KEY-----\\naGVsbG8gd29ybGQ=\\n-----END PRIVATE KEY-----         | not a valid PKCS#8",
    })
    void garbagePemNamesTheProblem(String name, String pem, String expected) {
        assertThatThrownBy(() -> SigningKey.fromPem(pem.replace("\\n", "\n")))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void nonEd25519KeyIsRejectedNamingTheAlgorithm() throws Exception {
        var ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(ec.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> SigningKey.fromPem(pem))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining("1.2.840.10045.2.1").hasMessageContaining("expected Ed25519");
    }

    @Test
    void toStringDoesNotRevealKeyMaterial() {
        SigningKey key = SigningKey.generate();
        String pemBody = key.toPem().lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
        String seedHex = Hashes.hex(Base64.getDecoder().decode(pemBody)).substring(32); // last 32 bytes = seed

        assertThat(key.toString()).contains(key.keyId()).doesNotContain(seedHex).doesNotContain(pemBody);
    }
}
