package org.sallyport.broker.cli.client;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import org.sallyport.recorder.crypto.KeyFormatException;
import org.sallyport.recorder.crypto.RecipientKey;
import org.sallyport.recorder.evidence.RecordingMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sallyport audit export}: an evidence bundle for a period, from the broker ({@code GET /api/audit/export},
 * inspectors and admins) or offline from a stopped broker's data folder. The bundle is written to a temporary file
 * beside the output and renamed only when complete, so a broken-off export never leaves a file that looks whole.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a signed evidence bundle for a period: events (JSON Lines and CSV), the audit chain segment"
                        + " with its signed checkpoints, a session index and the recordings (their signed manifests by"
                        + " default). Check it anywhere with: sallyport audit verify BUNDLE --key broker.pub.pem",
                "Progress goes to stderr. Exit status: 0 written, 1 failed, 2 bad input or not allowed."})
public final class AuditExportCommand extends ClientCommand {
    /** Offline export hook (store access lives outside the client package); null when this build has none. */
    public interface Offline {
        void export(Path dataDir, Instant from, Instant to, String vendor, String target, String site, RecordingMode mode,
                    RecipientKey recipient, OutputStream out, PrintWriter progress) throws IOException;
    }

    private static volatile Offline offline;

    /** Installed by the server side of the command line. */
    public static void installOffline(Offline hook) {
        offline = hook;
    }

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--from", required = true, paramLabel = "DATE", description = "start, inclusive: 2026-03-01 or an ISO-8601 instant")
    String from;

    @Option(names = "--to", required = true, paramLabel = "DATE", description = "end: a date means the end of that day (UTC); an instant is exclusive")
    String to;

    @Option(names = "--vendor", paramLabel = "ORG", description = "only this vendor org's sessions, requests and grants")
    String vendor;

    @Option(names = "--target", paramLabel = "ID", description = "only this target's")
    String target;

    @Option(names = "--site", paramLabel = "SITE", description = "only this site's")
    String site;

    @Option(names = "--with-recordings", description = "include the recordings themselves, not only their signed manifests")
    boolean withRecordings;

    @Option(names = "--recipient", paramLabel = "PUBKEY",
            description = "inspector's X25519 public key (PEM, from 'sallyport audit keygen'): recordings' keys are sealed to it so only its holder can play them")
    Path recipient;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "BUNDLE.zip", description = "where to write the bundle")
    Path output;

    @Option(names = "--data", paramLabel = "DIR", description = "export offline from a stopped broker's data folder (needs its signing key)")
    Path dataDir;

    public AuditExportCommand() {
        this(CliEnvironment.system());
    }

    public AuditExportCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return connection;
    }

    @Override
    public Integer call() throws IOException {
        Instant f = instant("--from", from, false);
        Instant t = instant("--to", to, true);
        if (!f.isBefore(t)) throw new UnusableInputException("--to: must be after --from");
        if (recipient != null && !withRecordings) throw new UnusableInputException("--recipient: only with --with-recordings");
        RecipientKey rk = null;
        if (recipient != null) {
            try {
                rk = RecipientKey.fromPublicPem(Files.readString(recipient));
            } catch (IOException e) {
                throw new UnusableInputException("--recipient: cannot read " + recipient + ": " + e.getMessage(), e);
            } catch (KeyFormatException e) {
                throw new UnusableInputException("--recipient: " + recipient + ": " + e.getMessage(), e);
            }
        }
        RecordingMode mode = !withRecordings ? RecordingMode.MANIFESTS : rk != null ? RecordingMode.RECIPIENT : RecordingMode.SEALED;
        Path target = output.toAbsolutePath();
        if (Files.isDirectory(target)) throw new UnusableInputException("-o: " + output + " is a folder");
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) throw new UnusableInputException("-o: no such folder: " + dir);
        PrintWriter err = spec.commandLine().getErr();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                if (dataDir != null) {
                    if (connection.url != null) throw new UnusableInputException("--data: exports offline; leave out --url");
                    if (!Files.isDirectory(dataDir)) throw new UnusableInputException("--data: no such folder: " + dataDir);
                    Offline hook = offline;
                    if (hook == null) throw new UnusableInputException("--data: offline export is not available in this build");
                    hook.export(dataDir, f, t, vendor, this.target, site, mode, rk, out, err);
                } else {
                    online(f, t, mode, rk, out, err);
                }
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
        println("wrote " + output + " (" + Files.size(target) + " bytes); verify it with: sallyport audit verify " + output
                + " --key BROKER-PUBLIC-KEY.pem");
        return ClientExitCodes.OK;
    }

    private void online(Instant f, Instant t, RecordingMode mode, RecipientKey rk, OutputStream out, PrintWriter err) {
        long[] last = {System.nanoTime(), 0};
        try (ApiClient api = authenticatedClient()) {
            long total = api.download("/api/audit/export", ApiClient.query("from", f.toString(), "to", t.toString(),
                    "vendor", vendor, "target", target, "site", site, "recordings", mode.wireName(),
                    "recipient", rk == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(rk.rawPublic())), out, n -> {
                        long now = System.nanoTime();
                        if (now - last[0] >= 1_000_000_000L) {
                            err.printf(Locale.ROOT, "exporting: %.1f MiB received%n", n / 1048576.0);
                            err.flush();
                            last[0] = now;
                        }
                        last[1] = n;
                    });
            err.printf(Locale.ROOT, "exported: %.1f MiB%n", total / 1048576.0);
            err.flush();
        }
    }

    /** A date (UTC; for --to the end of that day) or an ISO-8601 instant. */
    static Instant instant(String option, String v, boolean endOfDay) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                LocalDate d = LocalDate.parse(v);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new UnusableInputException(option + ": '" + v + "' is not a date (2026-03-01) or an ISO-8601 instant");
            }
        }
    }
}
