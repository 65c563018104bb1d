package org.sallyport.broker.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.cli.client.CliEnvironment;
import org.sallyport.broker.cli.client.ClientCli;
import org.sallyport.broker.cli.client.UnusableInputException;
import org.sallyport.broker.cli.client.VerificationOutcome;
import org.sallyport.broker.error.UnavailableException;
import org.sallyport.broker.server.Broker;
import org.sallyport.broker.store.JdbcStore;
import org.sallyport.broker.store.Store;
import org.sallyport.recorder.crypto.VerifyingKey;
import picocli.CommandLine;

/** Registers the client-side commands (login, request, approve, audit ...) on the root command. */
final class ClientCommands {
    private ClientCommands() {}

    static void register(CommandLine root, CliEnvironment env) {
        ClientCli.register(root, env.withOfflineAuditVerifier(ClientCommands::verifyOffline));
        org.sallyport.broker.cli.client.AuditExportCommand.installOffline(OfflineEvidenceExport::export);
        org.sallyport.broker.cli.client.AuditReportCommand.installOffline(OfflineEvidenceExport::report);
    }

    /**
     * {@code audit verify --data DIR}: walks the audit chain of a stopped broker's embedded store against
     * the public key in its data folder. Restriction: the key comes from the same folder; an inspector who
     * holds the key separately compares its id with the one printed here.
     */
    static VerificationOutcome verifyOffline(Path dataDir) throws java.io.IOException {
        Path pub = Broker.publicKeyFile(dataDir);
        if (!Files.isRegularFile(pub)) throw new UnusableInputException(dataDir + ": no audit public key at " + pub + "; not a Sallyport data folder?");
        if (!Files.isDirectory(dataDir.resolve("db"))) throw new UnusableInputException(dataDir + ": no embedded database under db/");
        VerifyingKey key = VerifyingKey.fromPem(Files.readString(pub));
        Store store;
        try {
            store = JdbcStore.open(JdbcStore.h2FileUrl(dataDir), "sa", "");
        } catch (UnavailableException e) {
            throw new UnusableInputException(dataDir + ": cannot open the store; is the broker still running? Stop it first ("
                    + e.getMessage() + ")");
        }
        try (store) {
            AuditLog.Outcome o = AuditLog.verify(store, key);
            return new VerificationOutcome(o.ok(), o.events(), o.firstSeq(), o.lastSeq(), o.headHash(), o.checkpointsVerified(),
                    o.failedSeq(), o.failureKind(), o.message());
        }
    }
}
