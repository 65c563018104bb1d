package org.sallyport.broker.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/**
 * {@code sallyport logout}: forgets the saved session (the token itself expires on the broker by its own clock) and
 * deletes the SSH certificate login saved, which would otherwise open the gateway until it expires. The key pair stays.
 */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Forget the saved session and its token on this machine, and delete its SSH certificate.")
public final class LogoutCommand extends ClientCommand {
    private final ConnectionOptions none = new ConnectionOptions();

    public LogoutCommand() {
        this(CliEnvironment.system());
    }

    public LogoutCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return none;
    }

    @Override
    public Integer call() {
        savedSession().map(Session::ssh).map(SshAccess::certificate).ifPresent(LogoutCommand::deleteCertificate);
        println(home().clear() ? "Logged out." : "Not logged in.");
        return ClientExitCodes.OK;
    }

    /** Deletes only what login wrote (a {@code -cert.pub} file), whatever a hand-edited session file says. */
    private static void deleteCertificate(String path) {
        if (!path.endsWith("-cert.pub")) return;
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException | InvalidPathException e) {
            throw new UnusableInputException(path + ": cannot delete the SSH certificate: " + e.getMessage(), e);
        }
    }
}
