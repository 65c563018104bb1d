package org.sallyport.recorder.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void signingKeyIsCreatedOnceWithMode0600AndReloaded() throws Exception {
        Path file = dir.resolve("keys/nested/signing.pem");
        SigningKey created = KeyFiles.loadOrCreateSigningKey(file);

        assertThat(file).exists();
        assertPrivateMode(file);
        assertThat(KeyFiles.loadOrCreateSigningKey(file).verifyingKey()).isEqualTo(created.verifyingKey());
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file); // no temp files left behind
        }
    }

    @Test
    void garbageSigningKeyFileIsReportedAndNotRegenerated() throws Exception {
        Path file = dir.resolve("signing.pem");
        Files.writeString(file, "not a key\n");

        assertThatThrownBy(() -> KeyFiles.loadOrCreateSigningKey(file))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("no PEM block")
                .hasMessageContaining("not regenerated");
        assertThat(Files.readString(file)).isEqualTo("not a key\n");
    }

    @Test
    void binaryOrUnreadableKeyFileNamesTheFile() throws Exception {
        Path file = dir.resolve("signing.pem");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> KeyFiles.loadOrCreateSigningKey(file))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining(file.toString());

        Path asDirectory = Files.createDirectory(dir.resolve("dir.pem"));
        assertThatThrownBy(() -> KeyFiles.loadOrCreateSigningKey(asDirectory))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining(asDirectory.toString());
    }

    @Test
    void secretIsCreatedAsBase64WithMode0600AndReloaded() throws Exception {
        Path file = dir.resolve("master.key");
        byte[] secret = KeyFiles.loadOrCreateSecret(file, 32);

        assertThat(secret).hasSize(32);
        assertPrivateMode(file);
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).isEqualTo(secret);
        assertThat(KeyFiles.loadOrCreateSecret(file, 32)).isEqualTo(secret);
    }

    @Test
    void secretOfWrongLengthOrNotBase64IsReportedAndKept() throws Exception {
        Path file = dir.resolve("token.key");
        KeyFiles.loadOrCreateSecret(file, 16);
        String before = Files.readString(file);

        assertThatThrownBy(() -> KeyFiles.loadOrCreateSecret(file, 32))
                .isInstanceOf(KeyFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("holds 16 bytes, expected 32");
        assertThat(Files.readString(file)).isEqualTo(before);

        Files.writeString(file, "%%% not base64 %%%");
        assertThatThrownBy(() -> KeyFiles.loadOrCreateSecret(file, 16))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("not base64");
    }

    @Test
    void publicKeyFileIsWrittenReadableAndReplaced() throws Exception {
        Path file = dir.resolve("pub/audit.pub");
        VerifyingKey first = SigningKey.generate().verifyingKey();
        VerifyingKey second = SigningKey.generate().verifyingKey();

        KeyFiles.writePublicKey(file, first);
        assertThat(VerifyingKey.fromPem(Files.readString(file))).isEqualTo(first);
        KeyFiles.writePublicKey(file, second);
        assertThat(VerifyingKey.fromPem(Files.readString(file))).isEqualTo(second);
        if (isPosix()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        }
    }

    private void assertPrivateMode(Path file) throws Exception {
        assumeTrue(isPosix(), "file system has no POSIX permissions");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    private boolean isPosix() {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
