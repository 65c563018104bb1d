package org.sallyport.broker.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A vendor technician's SSH key pair: the private key file, {@code FILE.pub} beside it, and the broker's certificate for
 * it at {@code FILE-cert.pub} (the names OpenSSH itself uses).
 *
 * <h2>Security guarantees</h2>
 * The private key never leaves its file: only the public key line is read. A key made here is made by the system
 * {@code ssh-keygen} and is 0600 on POSIX file systems in a 0700 folder.
 */
record SshKeyPair(Path privateKey, Path publicKey) {
    /** Why: making an ed25519 key takes milliseconds; a keygen still running after this is stuck, not slow. */
    static final long KEYGEN_TIMEOUT_SECONDS = 30;

    Path certificate() {
        return privateKey.resolveSibling(privateKey.getFileName() + "-cert.pub");
    }

    /** The public key line (type, base64, comment), as the broker's certificate endpoint wants it. */
    String publicKeyLine() {
        String text;
        try {
            text = Files.readString(publicKey, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UnusableInputException(publicKey + ": cannot read the public key: " + e.getMessage(), e);
        }
        if (text.isEmpty() || text.contains("\n") || !text.contains(" ")) {
            throw new UnusableInputException(publicKey + ": not an OpenSSH public key line (e.g. ssh-ed25519 AAAA... comment)");
        }
        return text;
    }

    /** The pair named by {@code login --key FILE}: both files must exist; they are used as they are. */
    static SshKeyPair existing(Path key) {
        Path k = key.toAbsolutePath().normalize();
        Path pub = k.resolveSibling(k.getFileName() + ".pub");
        if (!Files.isRegularFile(k)) throw new UnusableInputException("--key: no private key file " + k);
        if (!Files.isRegularFile(pub)) {
            throw new UnusableInputException("--key: no public key " + pub + " beside " + k
                    + " (make it with ssh-keygen -y -f " + k + " > " + pub + ")");
        }
        return new SshKeyPair(k, pub);
    }

    /**
     * The pair in the sallyport folder, made with {@code ssh-keygen -q -t ed25519 -N '' -C sallyport -f FILE} when it
     * is missing or half there (this key is ours, and a new certificate is fetched for it right away).
     */
    static SshKeyPair ensureDefault(CliHome home, CliEnvironment environment) {
        Path k = home.defaultSshKey().toAbsolutePath().normalize();
        SshKeyPair pair = new SshKeyPair(k, k.resolveSibling(k.getFileName() + ".pub"));
        try {
            if (!(Files.isRegularFile(pair.privateKey) && Files.isRegularFile(pair.publicKey))) {
                Path keygen = Executables.onPath("ssh-keygen", environment).orElseThrow(() -> new UnusableInputException(
                        "ssh-keygen not found on PATH: install the OpenSSH client, or pass --key FILE with an existing"
                                + " key pair"));
                home.ensureDir();
                Files.deleteIfExists(pair.privateKey);
                Files.deleteIfExists(pair.publicKey);
                Files.deleteIfExists(pair.certificate());
                run(List.of(keygen.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "sallyport", "-f", k.toString()));
                if (!Files.isRegularFile(pair.publicKey)) {
                    throw new OperationFailedException("ssh-keygen did not write " + pair.publicKey);
                }
            }
            if (CliHome.posix()) Files.setPosixFilePermissions(pair.privateKey, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UnusableInputException(k + ": cannot make the SSH key pair: " + e.getMessage(), e);
        }
        return pair;
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close(); // never answer a prompt
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ended) {
                // the process is gone; what was read is all there is
            }
        });
        try {
            if (!p.waitFor(KEYGEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new OperationFailedException("ssh-keygen did not finish within " + KEYGEN_TIMEOUT_SECONDS + " s");
            }
            reader.join(TimeUnit.SECONDS.toMillis(KEYGEN_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while making the SSH key pair", e);
        }
        if (p.exitValue() != 0) {
            String first = output.toString(StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
            throw new OperationFailedException("ssh-keygen failed (exit " + p.exitValue() + ")" + (first.isEmpty() ? "" : ": " + first));
        }
    }
}
