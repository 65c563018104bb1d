package org.sallyport.broker.cli.client;

import java.util.List;
import picocli.CommandLine;

/**
 * Wires the client commands into the root {@code sallyport} command. Use {@link #register(CommandLine, CliEnvironment)}
 * from {@code Main}; {@link #COMMANDS} lists the top-level classes for anyone registering them another way (they all
 * have public no-arg constructors that use {@link CliEnvironment#system()}, i.e. without offline audit verification).
 */
public final class ClientCli {
    /** Top-level client commands; {@code audit} carries its own subcommands ({@code verify}). */
    public static final List<Class<?>> COMMANDS = List.of(
            LoginCommand.class, LogoutCommand.class, TokenCommand.class,
            RequestCommand.class, RequestsCommand.class,
            ApproveCommand.class, DenyCommand.class, CancelCommand.class, RevokeCommand.class,
            GrantsCommand.class, SshConfigCommand.class, ConnectCommand.class, AuditCommand.class);

    private ClientCli() {}

    /**
     * Adds every client command to {@code root}, built with {@code environment}, and installs
     * {@link ClientExitCodes} (delegating failures that are not the client's to the handler installed before).
     * Call it before {@code setOut}/{@code setErr} so those reach the subcommands.
     */
    public static void register(CommandLine root, CliEnvironment environment) {
        ClientCommandFactory factory = new ClientCommandFactory(environment);
        for (Class<?> c : COMMANDS) {
            try {
                root.addSubcommand(new CommandLine(factory.create(c), factory));
            } catch (Exception e) {
                throw new IllegalStateException("cannot create " + c.getName(), e);
            }
        }
        ClientExitCodes.install(root);
    }

    /** As {@link #register(CommandLine, CliEnvironment)} with the real process environment. */
    public static void register(CommandLine root) {
        register(root, CliEnvironment.system());
    }
}
