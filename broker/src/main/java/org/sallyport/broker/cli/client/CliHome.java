package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The per-user state folder: {@code $SALLYPORT_HOME}, else {@code ~/.sallyport}. Holds {@code session.json} and, for
 * vendor technicians, the SSH key pair {@code id_ed25519} (unless {@code login --key} names another), its certificate
 * {@code id_ed25519-cert.pub} and the {@code known_hosts} file that pins the broker's SSH host key.
 *
 * <h2>Security guarantees</h2>
 * On POSIX file systems the folder is created with mode 0700 and the session file is created with mode 0600
 * <em>before</em> the token is written into it (a temporary file in the same folder, then an atomic rename), so no
 * other user can ever read the token, and a crash leaves either the old or the new session, never half of one. The
 * certificate and known_hosts files are replaced the same way; the private key is 0600 (made so by ssh-keygen and
 * checked after it).
 */
public final class CliHome {
    public static final String ENV_HOME = "SALLYPORT_HOME";
    static final String SESSION_FILE = "session.json";
    static final String DEFAULT_SSH_KEY = "id_ed25519";
    static final String KNOWN_HOSTS_FILE = "known_hosts";

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;

    public CliHome(Path dir) {
        this.dir = dir;
    }

    public static CliHome of(CliEnvironment env) {
        String home = env.getenv(ENV_HOME);
        return new CliHome(home != null ? Path.of(home) : env.userHome().resolve(".sallyport"));
    }

    /** True where files have POSIX permissions (and so are made owner-only). */
    static boolean posix() {
        return POSIX;
    }

    public Path dir() {
        return dir;
    }

    public Path sessionFile() {
        return dir.resolve(SESSION_FILE);
    }

    /** The saved session, whether or not it has expired; empty when nobody logged in. */
    public Optional<Session> session() {
        Path f = sessionFile();
        if (!Files.exists(f)) return Optional.empty();
        try {
            return Optional.of(MAPPER.readValue(Files.readAllBytes(f), Session.class));
        } catch (JsonProcessingException e) {
            throw new UnusableInputException(f + ": not a session file (" + e.getOriginalMessage() + "); run sallyport login");
        } catch (IOException e) {
            throw new UnusableInputException(f + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Replaces the saved session atomically (see the class comment for the file modes). */
    public void save(Session session) {
        byte[] json;
        try {
            json = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(session);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the session", e);
        }
        try {
            writeAtomically(sessionFile(), json);
        } catch (IOException e) {
            throw new UnusableInputException(dir + ": cannot save the session: " + e.getMessage(), e);
        }
    }

    /** The key pair {@code login} makes for vendor technicians when no {@code --key} is given. */
    public Path defaultSshKey() {
        return dir.resolve(DEFAULT_SSH_KEY);
    }

    /** The known_hosts file that pins the broker's SSH host key (written at login, read by ssh). */
    public Path knownHostsFile() {
        return dir.resolve(KNOWN_HOSTS_FILE);
    }

    /**
     * Replaces {@code target} with {@code content}: a temporary file beside it, created owner-only (0600) before
     * anything is written to it, forced to disk, then renamed over the target. Readers see the old or the new file,
     * never half of one. Creates this folder (0700) when {@code target} is in it.
     */
    void writeAtomically(Path target, byte[] content) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        if (folder.equals(dir.toAbsolutePath())) createDir();
        org.sallyport.recorder.crypto.KeyFiles.replaceAtomically(target, content, true);
    }

    /** Creates this folder (0700 on POSIX) if it does not exist yet. */
    void ensureDir() throws IOException {
        createDir();
    }

    /** Forgets the session; true if there was one. */
    public boolean clear() {
        try {
            return Files.deleteIfExists(sessionFile());
        } catch (IOException e) {
            throw new UnusableInputException(sessionFile() + ": cannot delete: " + e.getMessage(), e);
        }
    }

    private void createDir() throws IOException {
        if (Files.isDirectory(dir)) return;
        FileAttribute<?>[] attrs = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try {
            Files.createDirectory(dir, attrs);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another sallyport process created it first: fine
        }
    }
}
