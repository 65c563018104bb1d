package org.sallyport.broker.cli;

import java.io.UncheckedIOException;
import org.sallyport.broker.config.ConfigException;
import org.sallyport.broker.error.BrokerException;
import org.sallyport.broker.error.InvalidInputException;
import org.sallyport.recorder.crypto.KeyFormatException;
import picocli.CommandLine;

/** Maps failures of server-side commands to one-line messages and exit codes (0 ok, 1 failed, 2 unusable input). */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private ExitCodes() {}

    static void install(CommandLine cl) {
        cl.setExitCodeExceptionMapper(ExitCodes::exitCode);
        CommandLine.IExecutionExceptionHandler previous = cl.getExecutionExceptionHandler();
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof ConfigException || ex instanceof InvalidInputException || ex instanceof KeyFormatException
                    || ex instanceof BrokerException || ex instanceof UncheckedIOException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return exitCode(ex);
            }
            if (previous != null) return previous.handleExecutionException(ex, cmd, parseResult);
            throw ex;
        });
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof ConfigException || ex instanceof InvalidInputException || ex instanceof KeyFormatException) return USAGE;
        if (ex instanceof BrokerException b && b.status() >= 400 && b.status() < 500) return USAGE;
        return FAILED;
    }
}
