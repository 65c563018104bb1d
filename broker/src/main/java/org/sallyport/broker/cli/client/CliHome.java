package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The per-user state folder: {@code $SALLYPORT_HOME}, else {@code ~/.sallyport}. Holds {@code session.json}.
 *
 * <h2>Security guarantees</h2>
 * On POSIX file systems the folder is created with mode 0700 and the session file is created with mode 0600
 * <em>before</em> the token is written into it (a temporary file in the same folder, then an atomic rename), so no
 * other user can ever read the token, and a crash leaves either the old or the new session, never half of one.
 */
public final class CliHome {
    public static final String ENV_HOME = "SALLYPORT_HOME";
    static final String SESSION_FILE = "session.json";

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
        try {
            createDir();
            Path tmp = POSIX
                    ? Files.createTempFile(dir, ".session-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".session-", ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buf = ByteBuffer.wrap(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(session));
                    while (buf.hasRemaining()) ch.write(buf);
                    ch.force(true);
                }
                try {
                    Files.move(tmp, sessionFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, sessionFile(), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UnusableInputException(dir + ": cannot save the session: " + e.getMessage(), e);
        }
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
