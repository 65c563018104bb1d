package org.sallyport.broker.cli.client;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Hook for {@code sallyport audit verify --data DIR}: verifies the audit chain of a stopped broker's data folder
 * without a server. The store-backed implementation lives with the store and is handed to the CLI through
 * {@link CliEnvironment#withOfflineAuditVerifier}.
 *
 * <p>Implementations return an outcome for any readable store, broken or not; they throw
 * {@link UnusableInputException} (or {@link IOException}) when {@code dataDir} is not a usable store at all, which
 * the CLI reports with exit code 2.
 */
@FunctionalInterface
public interface OfflineAuditVerifier {
    VerificationOutcome verify(Path dataDir) throws IOException;
}
