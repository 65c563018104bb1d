package org.sallyport.broker.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.sallyport.broker.audit.EvidenceExporter;
import org.sallyport.broker.cli.client.UnusableInputException;
import org.sallyport.broker.error.UnavailableException;
import org.sallyport.broker.gateway.SessionRecordings;
import org.sallyport.broker.server.Broker;
import org.sallyport.broker.store.JdbcStore;
import org.sallyport.broker.store.Store;
import org.sallyport.recorder.crypto.KeyFiles;
import org.sallyport.recorder.crypto.RecipientKey;
import org.sallyport.recorder.crypto.SigningKey;
import org.sallyport.recorder.evidence.RecordingMode;

/**
 * {@code audit export --data DIR}: the same bundle as {@code GET /api/audit/export}, from a stopped broker's embedded
 * store, signed with the signing key in its data folder (which must therefore be readable). Never creates a key.
 */
final class OfflineEvidenceExport {
    private OfflineEvidenceExport() {}

    static void export(Path dataDir, Instant from, Instant to, String vendor, String target, String site, RecordingMode mode,
                       RecipientKey recipient, OutputStream out, PrintWriter progress) throws IOException {
        Path keyFile = Broker.signingKeyFile(dataDir);
        if (!Files.isRegularFile(keyFile)) throw new UnusableInputException(dataDir + ": no signing key at " + keyFile + "; not a Sallyport data folder?");
        if (!Files.isDirectory(dataDir.resolve("db"))) throw new UnusableInputException(dataDir + ": no embedded database under db/");
        SigningKey key = KeyFiles.loadOrCreateSigningKey(keyFile);
        Map<String, byte[]> keks = Map.of();
        if (mode == RecordingMode.RECIPIENT) {
            byte[] kek = KeyFiles.loadSecret(Broker.recordingKekFile(dataDir), 32);
            keks = Map.of(SessionRecordings.kekId(kek), kek);
        }
        Store store;
        try {
            store = JdbcStore.open(JdbcStore.h2FileUrl(dataDir), "sa", "");
        } catch (UnavailableException e) {
            throw new UnusableInputException(dataDir + ": cannot open the store; is the broker still running? Stop it first ("
                    + e.getMessage() + ")");
        }
        long[] last = {System.nanoTime()};
        try (store) {
            var r = new EvidenceExporter(store, key, Broker.recordingsDir(dataDir), keks, Clock.systemUTC())
                    .export(new EvidenceExporter.Request(from, to, vendor, target, site, mode, recipient), out,
                            dataDir.toAbsolutePath().toString(), (stage, done) -> {
                                long now = System.nanoTime();
                                if (now - last[0] >= 1_000_000_000L || stage.equals("done")) {
                                    progress.println("exporting: " + stage + " " + done);
                                    progress.flush();
                                    last[0] = now;
                                }
                            });
            progress.println("exported events " + r.firstSeq() + ".." + r.lastSeq() + ", " + r.selectedEvents() + " selected, "
                    + r.sessions() + " sessions");
            progress.flush();
        }
    }

    static void report(Path dataDir, Instant from, Instant to, String format, OutputStream out) throws IOException {
        Path pub = Broker.publicKeyFile(dataDir);
        if (!Files.isRegularFile(pub)) throw new UnusableInputException(dataDir + ": no audit public key at " + pub + "; not a Sallyport data folder?");
        if (!Files.isDirectory(dataDir.resolve("db"))) throw new UnusableInputException(dataDir + ": no embedded database under db/");
        String keyId = org.sallyport.recorder.crypto.VerifyingKey.fromPem(Files.readString(pub)).keyId();
        Store store;
        try {
            store = JdbcStore.open(JdbcStore.h2FileUrl(dataDir), "sa", "");
        } catch (UnavailableException e) {
            throw new UnusableInputException(dataDir + ": cannot open the store; is the broker still running? Stop it first ("
                    + e.getMessage() + ")");
        }
        try (store) {
            var r = new org.sallyport.broker.report.ComplianceReportBuilder(store, keyId, Clock.systemUTC()).build(from, to);
            if (format.equals("pdf")) org.sallyport.broker.report.ComplianceReportRenderer.pdf(r, out);
            else out.write(org.sallyport.broker.report.ComplianceReportRenderer.html(r).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
