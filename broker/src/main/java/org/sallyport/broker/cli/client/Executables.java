package org.sallyport.broker.cli.client;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs such as {@code ssh} on the {@code PATH} of the {@link CliEnvironment} (not of the JVM, for tests). */
final class Executables {
    private Executables() {}

    /** The first executable regular file {@code name} in the directories of {@code $PATH}; empty when there is none. */
    static Optional<Path> onPath(String name, CliEnvironment environment) {
        String path = environment.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            try {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate.toAbsolutePath());
            } catch (InvalidPathException skip) {
                // a garbled PATH entry cannot hold the program
            }
        }
        return Optional.empty();
    }
}
