package org.sallyport.broker.cli;

import picocli.CommandLine;

/** Registers the client-side commands (login, request, approve, audit ...) on the root command. */
final class ClientCommands {
    private ClientCommands() {}

    static void register(CommandLine root) {
    }
}
