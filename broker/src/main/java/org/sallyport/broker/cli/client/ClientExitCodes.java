package org.sallyport.broker.cli.client;

import picocli.CommandLine;

/**
 * The one place where client failures become exit codes and one-line messages on stderr (never a stack trace):
 * <ul>
 *   <li>0: done;</li>
 *   <li>1: the operation failed: verification found a break, the broker answered 5xx, or could not be reached;</li>
 *   <li>2: unusable input: bad arguments (picocli's own message), no valid session, or any 4xx from the broker.</li>
 * </ul>
 */
public final class ClientExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private ClientExitCodes() {}

    /**
     * Installs the handler on {@code root}; failures that are not the client's are passed on to the handler that was
     * installed before (so the server commands' mapping keeps working).
     */
    public static void install(CommandLine root) {
        CommandLine.IExecutionExceptionHandler previous = root.getExecutionExceptionHandler();
        root.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            String message = message(ex);
            if (message != null) {
                cmd.getErr().println("error: " + message);
                cmd.getErr().flush();
                return exitCode(ex);
            }
            if (previous != null) return previous.handleExecutionException(ex, cmd, parseResult);
            throw ex;
        });
    }

    /** Exit code for a client failure; {@link #FAILED} for anything else. */
    public static int exitCode(Throwable ex) {
        if (ex instanceof UnusableInputException) return USAGE;
        if (ex instanceof ApiException a) return a.status() >= 400 && a.status() < 500 ? USAGE : FAILED;
        return FAILED;
    }

    /** Exit code for a verification result. */
    public static int exitCode(VerificationOutcome outcome) {
        return outcome.ok() ? OK : FAILED;
    }

    /** One-line message for a client failure, or {@code null} if {@code ex} is not one of ours. */
    static String message(Throwable ex) {
        if (ex instanceof ApiException a) return oneLine(a.detail());
        if (ex instanceof UnusableInputException || ex instanceof OperationFailedException) return oneLine(ex.getMessage());
        return null;
    }

    private static String oneLine(String s) {
        return s == null ? "(no detail)" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
