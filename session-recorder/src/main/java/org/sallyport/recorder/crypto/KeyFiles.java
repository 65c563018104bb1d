package org.sallyport.recorder.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Key material on disk: load it if present, otherwise create it once.
 *
 * <h2>Security guarantees</h2>
 * A file that exists is never replaced: if it cannot be read or parsed, {@link KeyFormatException} names the
 * file and nothing is regenerated (a silently new signing key would orphan every earlier signature, a new
 * secret would make sealed data unreadable). New private files are written to a temporary file created with
 * POSIX mode 0600 (where the file system supports POSIX permissions), forced to disk, and then put in place
 * atomically without replacing anything: by hard link, falling back to an atomic move. Two processes racing
 * to create the same key therefore end up sharing one key (the loser loads the winner's).
 *
 * <h2>Restrictions</h2>
 * Keys are stored unencrypted; protection is the file mode and the directory's owner. On file systems
 * without POSIX permissions (e.g. Windows) the mode is not set; the parent directory's ACL applies. The mode
 * of an existing file is not checked or repaired. Parent directories are created with default permissions.
 */
public final class KeyFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyFiles() {}

    /** Loads the PKCS#8 PEM Ed25519 key at {@code pemFile}, or generates and stores one if the file does not exist. */
    public static SigningKey loadOrCreateSigningKey(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        if (Files.notExists(pemFile)) { // "cannot tell" (no access) falls through to a load that names the file
            SigningKey fresh = SigningKey.generate();
            if (writeNew(pemFile, fresh.toPem().getBytes(StandardCharsets.US_ASCII), true)) return fresh;
        }
        String text = readText(pemFile, "signing key");
        try {
            return SigningKey.fromPem(text);
        } catch (KeyFormatException e) {
            throw new KeyFormatException("signing key file " + pemFile + ": " + e.getMessage()
                    + " (not regenerated: restore the file, or move it away deliberately to create a new key)", e);
        }
    }

    /**
     * Loads the base64 secret at {@code file}, or generates {@code lengthBytes} random bytes and stores them
     * (base64 text, one line) if the file does not exist.
     *
     * @throws KeyFormatException if the file exists but is unreadable, not base64, or of a different length
     */
    public static byte[] loadOrCreateSecret(Path file, int lengthBytes) {
        Objects.requireNonNull(file, "file");
        if (lengthBytes < 1) throw new IllegalArgumentException("lengthBytes must be positive, got " + lengthBytes);
        if (Files.notExists(file)) {
            byte[] secret = new byte[lengthBytes];
            RANDOM.nextBytes(secret);
            byte[] text = (Base64.getEncoder().encodeToString(secret) + "\n").getBytes(StandardCharsets.US_ASCII);
            boolean created = writeNew(file, text, true);
            Arrays.fill(text, (byte) 0);
            if (created) return secret;
            Arrays.fill(secret, (byte) 0);
        }
        return loadSecret(file, lengthBytes);
    }

    /**
     * Loads the base64 secret at {@code file}; never creates one (for tools that read a broker's keys).
     *
     * @throws KeyFormatException if the file is missing, unreadable, not base64, or of a different length
     */
    public static byte[] loadSecret(Path file, int lengthBytes) {
        Objects.requireNonNull(file, "file");
        if (Files.notExists(file)) throw new KeyFormatException("secret file " + file + " does not exist");
        String text = readText(file, "secret");
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("secret file " + file + ": not base64 text (not regenerated)");
        }
        if (secret.length != lengthBytes) {
            int got = secret.length;
            Arrays.fill(secret, (byte) 0);
            throw new KeyFormatException("secret file " + file + ": holds " + got + " bytes, expected " + lengthBytes
                    + " (not regenerated)");
        }
        return secret;
    }

    /** Writes (or atomically replaces) a "PUBLIC KEY" PEM file, mode 0644 where POSIX permissions apply. */
    public static void writePublicKey(Path file, VerifyingKey key) {
        Objects.requireNonNull(key, "key");
        try {
            replaceAtomically(file, key.toPem().getBytes(StandardCharsets.US_ASCII), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write public key file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code content} to a synced temporary file beside {@code file} (mode 0600 when
     * {@code ownerOnly}) and renames it over {@code file}: readers see the old or the new content, never a
     * half-written file, and a secret is never readable by others even for a moment.
     */
    public static void replaceAtomically(Path file, byte[] content, boolean ownerOnly) throws IOException {
        Objects.requireNonNull(file, "file");
        Path target = file.toAbsolutePath();
        Path tmp = writeTemp(target, content, ownerOnly);
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(target.getParent());
    }

    private static String readText(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new KeyFormatException(what + " file " + file + " exists but cannot be read as text ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); not regenerated", e);
        }
    }

    /** @return true if this call created the file, false if another writer created it first */
    private static boolean writeNew(Path file, byte[] content, boolean secret) {
        Path target = file.toAbsolutePath();
        try {
            Path tmp = writeTemp(target, content, secret);
            try {
                try {
                    Files.createLink(target, tmp); // atomic and never replaces an existing file
                } catch (FileAlreadyExistsException e) {
                    return false;
                } catch (UnsupportedOperationException | FileSystemException e) {
                    // No hard links here (some FUSE/SMB mounts): an atomic rename is the next best thing.
                    if (Files.exists(target)) return false;
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            syncDirectory(target.getParent());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path writeTemp(Path target, byte[] content, boolean secret) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attrs);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (posix && !secret) Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        return tmp;
    }

    /** Best effort: makes the new directory entry durable on Linux; not possible everywhere, so failures are ignored. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Windows and some file systems cannot open or sync a directory; the file itself is already forced.
        }
    }
}
