package org.sallyport.broker.cli.client;

import picocli.CommandLine.Command;

/** {@code sallyport logout}: forgets the saved session (the token itself expires on the broker by its own clock). */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Forget the saved session and its token on this machine.")
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
        println(home().clear() ? "Logged out." : "Not logged in.");
        return ClientExitCodes.OK;
    }
}
