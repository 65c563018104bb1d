package org.sallyport.broker.cli.client;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sallyport audit report}: the vendor compliance report for a period, HTML or PDF by the output's extension. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Vendor compliance report for a period: sessions per vendor and target, approvals and who gave them,"
                        + " policy violations with rule ids, terminated sessions, time used against approved windows, with charts.",
                "Format from the output name: .html or .pdf. Online (inspectors, admins) or --data DIR of a stopped broker."})
public final class AuditReportCommand extends ClientCommand {
    /** Offline hook (store access lives outside the client package). */
    public interface Offline {
        void report(Path dataDir, Instant from, Instant to, String format, OutputStream out) throws IOException;
    }

    private static volatile Offline offline;

    public static void installOffline(Offline hook) {
        offline = hook;
    }

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--from", required = true, paramLabel = "DATE", description = "start, inclusive: 2026-03-01 or an ISO-8601 instant")
    String from;

    @Option(names = "--to", required = true, paramLabel = "DATE", description = "end: a date means the end of that day (UTC)")
    String to;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "REPORT.html|REPORT.pdf")
    Path output;

    @Option(names = "--data", paramLabel = "DIR", description = "build it offline from a stopped broker's data folder")
    Path dataDir;

    public AuditReportCommand() {
        this(CliEnvironment.system());
    }

    public AuditReportCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return connection;
    }

    @Override
    public Integer call() throws IOException {
        Instant f = AuditExportCommand.instant("--from", from, false);
        Instant t = AuditExportCommand.instant("--to", to, true);
        if (!f.isBefore(t)) throw new UnusableInputException("--to: must be after --from");
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".pdf") ? "pdf" : name.endsWith(".html") || name.endsWith(".htm") ? "html" : null;
        if (format == null) throw new UnusableInputException("-o: name the report .html or .pdf");
        Path target = output.toAbsolutePath();
        if (!Files.isDirectory(target.getParent())) throw new UnusableInputException("-o: no such folder: " + target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                if (dataDir != null) {
                    Offline hook = offline;
                    if (hook == null) throw new UnusableInputException("--data: offline reports are not available in this build");
                    if (!Files.isDirectory(dataDir)) throw new UnusableInputException("--data: no such folder: " + dataDir);
                    hook.report(dataDir, f, t, format, out);
                } else {
                    try (ApiClient api = authenticatedClient()) {
                        api.download("/api/audit/report", ApiClient.query("from", f.toString(), "to", t.toString(), "format", format), out, n -> {});
                    }
                }
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
        println("wrote " + output + " (" + Files.size(target) + " bytes)");
        return ClientExitCodes.OK;
    }
}
