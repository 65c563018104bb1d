package org.sallyport.broker.cli.client;

import picocli.CommandLine.Command;

/** {@code sallyport token}: the only command that prints the access token. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Print your current access token, e.g. for curl -H \"Authorization: Bearer $(sallyport token)\".",
                "Exits with 2 if you are not logged in or the token has expired."})
public final class TokenCommand extends ClientCommand {
    private final ConnectionOptions none = new ConnectionOptions();

    public TokenCommand() {
        this(CliEnvironment.system());
    }

    public TokenCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return none;
    }

    @Override
    public Integer call() {
        println(requireSession().accessToken());
        return ClientExitCodes.OK;
    }
}
