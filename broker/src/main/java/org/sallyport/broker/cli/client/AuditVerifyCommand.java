package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.sallyport.recorder.crypto.KeyFormatException;
import org.sallyport.recorder.crypto.RecipientKey;
import org.sallyport.recorder.crypto.VerifyingKey;
import org.sallyport.recorder.evidence.EvidenceSummary;
import org.sallyport.recorder.evidence.EvidenceVerificationException;
import org.sallyport.recorder.evidence.EvidenceVerifier;

/**
 * {@code sallyport audit verify}: walks the audit chain and its signed checkpoints, on the broker
 * ({@code GET /api/audit/verify}) or offline in a stopped broker's data folder through the {@link OfflineAuditVerifier}
 * given in the {@link CliEnvironment}. Exit 0 when intact, 1 at the first break, 2 when it cannot be checked.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check that the audit trail is intact: every event links to the one before it and every"
                        + " checkpoint signature is valid. Reports the first break.",
                "Online (inspectors and admins): asks the broker you are logged in to.",
                "Offline: --data DIR checks a stopped broker's data folder directly.",
                "Evidence bundle: 'audit verify BUNDLE.zip [--key BROKER.pub.pem]' checks an exported bundle with nothing"
                        + " but the bundle: signature, every digest, chain continuity, checkpoints, every recording.",
                "Exit status: 0 intact, 1 broken, 2 cannot be checked (bad input, not allowed)."})
public final class AuditVerifyCommand extends ClientCommand {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Verify offline: the data folder of a stopped broker (no login needed).")
    Path dataDir;

    @Parameters(index = "0", arity = "0..1", paramLabel = "BUNDLE", description = "an evidence bundle from 'audit export'")
    Path bundle;

    @Option(names = "--key", paramLabel = "PUBKEY",
            description = "with BUNDLE: the broker's public key (PEM) obtained independently; the bundle must be signed by it")
    Path key;

    @Option(names = "--recipient-key", paramLabel = "PRIVKEY",
            description = "with BUNDLE: the inspector's private key from 'audit keygen', to decrypt and fully check recordings")
    Path recipientKey;

    public AuditVerifyCommand() {
        this(CliEnvironment.system());
    }

    public AuditVerifyCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return connection;
    }

    @Override
    public Integer call() {
        if (bundle != null) return verifyBundle();
        if (key != null || recipientKey != null) throw new UnusableInputException("--key/--recipient-key: only with a BUNDLE");
        VerificationOutcome outcome = dataDir != null ? offline() : online();
        println(outcome.summary());
        return ClientExitCodes.exitCode(outcome);
    }

    private int verifyBundle() {
        if (dataDir != null || connection.url != null) throw new UnusableInputException("BUNDLE: verifies offline; leave out --data and --url");
        VerifyingKey pinned = key == null ? null : readKey("--key", key, VerifyingKey::fromPem);
        RecipientKey recipient = recipientKey == null ? null : readKey("--recipient-key", recipientKey, RecipientKey::fromPrivatePem);
        try {
            EvidenceSummary s = EvidenceVerifier.verify(bundle, pinned, recipient);
            out().print(s.describe());
            out().flush();
            return ClientExitCodes.OK;
        } catch (EvidenceVerificationException e) {
            if (e.unusableInput()) throw new UnusableInputException(e.getMessage(), e);
            println("evidence bundle FAILED verification");
            println("  first failure: " + e.getMessage());
            if (e.file() != null) println("  file:          " + e.file());
            if (e.seq() > 0) println("  event:         " + e.seq());
            if (e.chunk() >= 0) println("  chunk:         " + e.chunk());
            return ClientExitCodes.FAILED;
        }
    }

    private static <T> T readKey(String option, Path file, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(Files.readString(file));
        } catch (IOException e) {
            throw new UnusableInputException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        } catch (KeyFormatException e) {
            throw new UnusableInputException(option + ": " + file + ": " + e.getMessage(), e);
        }
    }

    private VerificationOutcome offline() {
        if (connection.url != null) throw new UnusableInputException("--data: verifies offline; leave out --url");
        if (!Files.isDirectory(dataDir)) throw new UnusableInputException("--data: no such folder: " + dataDir);
        OfflineAuditVerifier verifier = environment.offlineAuditVerifier();
        if (verifier == null) throw new UnusableInputException("--data: offline verification is not available in this build");
        try {
            return verifier.verify(dataDir);
        } catch (IOException e) {
            throw new UnusableInputException("--data: cannot read " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private VerificationOutcome online() {
        JsonNode n;
        try (ApiClient api = authenticatedClient()) {
            n = api.get("/api/audit/verify");
        }
        return fromJson(n);
    }

    /** Maps the API's {@code AuditVerification} object. */
    static VerificationOutcome fromJson(JsonNode n) {
        if (!n.path("ok").isBoolean()) throw new OperationFailedException("broker's audit verification has no ok field");
        JsonNode failure = n.path("failure");
        boolean failed = failure.isObject();
        return new VerificationOutcome(n.path("ok").asBoolean(), n.path("events").asLong(), n.path("firstSeq").asLong(),
                n.path("lastSeq").asLong(), Table.text(n, "headHash"), n.path("checkpointsVerified").asInt(),
                failed && failure.path("seq").isNumber() ? failure.path("seq").asLong() : null,
                failed ? Table.text(failure, "kind") : null,
                failed ? Table.text(failure, "message") : null);
    }
}
