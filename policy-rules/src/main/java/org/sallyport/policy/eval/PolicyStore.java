package org.sallyport.policy.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.sallyport.policy.load.PolicyLoadException;
import org.sallyport.policy.load.PolicyLoader;

/**
 * The policy in force, read from a directory and swapped only for one that validates.
 *
 * <p>{@link #refresh()} compares a digest of the directory's policy files with the last one it saw; on a
 * change it loads and validates the whole bundle. A bundle that validates replaces the current policy
 * atomically and is reported with {@link PolicyListener#reloaded}; one that does not is refused, the
 * previous policy stays in force, and the refusal (file, line, problem) goes to
 * {@link PolicyListener#rejected}. The same broken content is reported once, not on every poll.
 *
 * <p>Why polling rather than a WatchService: Kubernetes ConfigMap volumes change by swapping a symlink,
 * which directory watches miss on some file systems; a digest comparison sees every change. Callers run
 * {@code refresh()} on a timer off the event loop (it reads files).
 *
 * <p>Security guarantees: fail closed at start ({@link #open} throws when the directory's policy does not
 * validate, so a broker never runs without a policy); afterwards a broken edit can never weaken the policy
 * in force.
 *
 * <p>Threading: {@link #current()} is lock-free; {@code refresh()} is synchronised.
 */
public final class PolicyStore {
    private final Path dir;
    private final PolicyListener listener;
    private final AtomicReference<Policy> current = new AtomicReference<>();
    private String seenDigest;

    private PolicyStore(Path dir, Policy initial, String digest, PolicyListener listener) {
        this.dir = dir;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.current.set(initial);
        this.seenDigest = digest;
    }

    /**
     * Loads the directory's policy.
     *
     * @throws PolicyLoadException when it does not validate (the broker must not start)
     */
    public static PolicyStore open(Path dir, PolicyListener listener) {
        String digest = digest(dir);
        return new PolicyStore(dir, PolicyLoader.loadDirectory(dir), digest, listener);
    }

    /** A store over a fixed policy (e.g. the bundled default) that never reloads. */
    public static PolicyStore fixed(Policy policy) {
        return new PolicyStore(null, policy, null, new PolicyListener() {
            public void reloaded(Policy previous, Policy current) {}

            public void rejected(PolicyLoadException problem, Policy inForce) {}
        });
    }

    public Policy current() {
        return current.get();
    }

    /** The directory watched, or null for a fixed policy. */
    public Path directory() {
        return dir;
    }

    /**
     * Reloads when the directory's policy files changed.
     *
     * @return true when a new policy is now in force
     */
    public synchronized boolean refresh() {
        if (dir == null) return false;
        String digest;
        try {
            digest = digest(dir);
        } catch (PolicyLoadException e) {
            if (!"unreadable".equals(seenDigest)) {
                seenDigest = "unreadable";
                listener.rejected(e, current.get());
            }
            return false;
        }
        if (digest.equals(seenDigest)) return false;
        seenDigest = digest;
        Policy next;
        try {
            next = PolicyLoader.loadDirectory(dir);
        } catch (PolicyLoadException e) {
            listener.rejected(e, current.get());
            return false;
        }
        Policy previous = current.getAndSet(next);
        listener.reloaded(previous, next);
        return true;
    }

    /** SHA-256 over the names and bytes of the directory's policy files. */
    private static String digest(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(PolicyLoader::isPolicyFile).sorted().toList();
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : files) {
                md.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(Files.readAllBytes(p));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new PolicyLoadException(List.of(new org.sallyport.policy.load.PolicyProblem(dir.toString(), 0, "cannot read: " + e.getMessage())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
