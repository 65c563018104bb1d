package org.sallyport.broker.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.sallyport.broker.identity.PasswordHasher;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sallyport hash-password}: prints an Argon2id hash for a local account's passwordHash. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = "Read a password from standard input and print its Argon2id hash for identity.accounts[].passwordHash.")
final class HashPasswordCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            spec.commandLine().getErr().println("error: no password on standard input");
            return ExitCodes.USAGE;
        }
        spec.commandLine().getOut().println(PasswordHasher.hash(line.toCharArray()));
        return ExitCodes.OK;
    }
}
