package org.sallyport.broker.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * The gateway's two persistent keys under the data folder: the SSH host key (clients pin it through the
 * known_hosts line written at login) and the user CA key that signs login certificates. ECDSA P-256:
 * supported by every OpenSSH client and by MINA without extra providers.
 */
public final class SshKeys {
    private final KeyPair hostKey;
    private final KeyPair userCa;

    private SshKeys(KeyPair hostKey, KeyPair userCa) {
        this.hostKey = hostKey;
        this.userCa = userCa;
    }

    public static SshKeys loadOrCreate(Path dataDir) {
        return new SshKeys(load(dataDir.resolve("keys/ssh-host-key")), load(dataDir.resolve("keys/ssh-user-ca")));
    }

    private static KeyPair load(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            SimpleGeneratorHostKeyProvider p = new SimpleGeneratorHostKeyProvider(file);
            p.setAlgorithm(KeyUtils.EC_ALGORITHM);
            p.setKeySize(256);
            List<KeyPair> keys = p.loadKeys(null);
            if (keys.isEmpty()) throw new IOException("no key in " + file);
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system
            }
            return keys.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot load or create SSH key " + file + ": " + e.getMessage(), e));
        }
    }

    public KeyPair hostKey() {
        return hostKey;
    }

    public KeyPair userCa() {
        return userCa;
    }

    public String hostKeyOpenSsh() {
        return PublicKeyEntry.toString(hostKey.getPublic());
    }
}
