package org.sallyport.broker.credentials;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.sallyport.recorder.crypto.KeyFiles;
import org.sallyport.recorder.crypto.SecretBox;

/**
 * Device credentials (passwords, private keys) sealed with AES-256-GCM under a master key file; each
 * entry's reference is its associated data, so entries cannot be swapped between references.
 *
 * <p>Security guarantees: the vault file holds only ciphertext; {@link #toString()} and every exception
 * message name references, never secrets. Restrictions: a single writer (the broker process); writes are
 * atomic (temporary file then rename) so a crash never leaves a half-written vault.
 */
public final class CredentialVault {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final SecretBox box;
    private final TreeMap<String, String> sealed;

    private CredentialVault(Path file, SecretBox box, TreeMap<String, String> sealed) {
        this.file = file;
        this.box = box;
        this.sealed = sealed;
    }

    public static CredentialVault open(Path file, byte[] masterKey) {
        SecretBox box = SecretBox.of(masterKey);
        TreeMap<String, String> entries = new TreeMap<>();
        if (Files.exists(file)) {
            try {
                entries.putAll(JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, String>>() {}));
            } catch (IOException e) {
                throw new UncheckedIOException("credential vault " + file + " is unreadable", e);
            }
        }
        return new CredentialVault(file, box, entries);
    }

    public synchronized void put(String ref, char[] secret) {
        byte[] plain = new String(secret).getBytes(StandardCharsets.UTF_8);
        try {
            sealed.put(ref, Base64.getEncoder().encodeToString(box.seal(plain, aad(ref))));
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
        save();
    }

    /** The secret for {@code ref}; the caller clears the array when done. Empty when no such entry. */
    public synchronized Optional<char[]> get(String ref) {
        String s = sealed.get(ref);
        if (s == null) return Optional.empty();
        byte[] plain = box.open(Base64.getDecoder().decode(s), aad(ref));
        try {
            return Optional.of(StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(plain)).array().clone());
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    public synchronized boolean contains(String ref) {
        return sealed.containsKey(ref);
    }

    public synchronized Set<String> refs() {
        return Set.copyOf(sealed.keySet());
    }

    private static byte[] aad(String ref) {
        return ("sallyport-credential:" + ref).getBytes(StandardCharsets.UTF_8);
    }

    private void save() {
        try {
            KeyFiles.replaceAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(sealed), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write credential vault " + file, e);
        }
    }

    @Override
    public String toString() {
        return "CredentialVault[" + file + ", refs=" + sealed.keySet() + "]";
    }
}
