package org.sallyport.broker.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.sallyport.broker.gateway.SessionRecordings;
import org.sallyport.broker.server.Broker;
import org.sallyport.recorder.crypto.KeyFiles;
import org.sallyport.recorder.crypto.KeyFormatException;
import org.sallyport.recorder.crypto.VerifyingKey;
import org.sallyport.recorder.recording.AsciicastExporter;
import org.sallyport.recorder.recording.Direction;
import org.sallyport.recorder.recording.FileRecordingSource;
import org.sallyport.recorder.recording.Frame;
import org.sallyport.recorder.recording.RecordingReader;
import org.sallyport.recorder.recording.RecordingVerificationException;
import org.sallyport.recorder.recording.RecordingVerifier;
import org.sallyport.recorder.recording.VerificationResult;
import org.sallyport.broker.httpproxy.HttpRecordingIndex;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sallyport recording verify|play|export}: offline tools for one session recording (FORMAT.md).
 *
 * <p>Keys: the signer's public key and the key-encryption key come from the broker's data folder: {@code --data
 * DIR}, or, by default, the folder two levels above the file ({@code <data>/recordings/<id>.sprec}).
 * {@code --key PUBKEY} pins the signer's public key obtained independently (an inspector should). Without a KEK,
 * {@code verify} checks what it can with the public key alone and says so; {@code play} and {@code export} need it.
 */
@Command(name = "recording", mixinStandardHelpOptions = true,
        description = "Verify, play back or export a session recording (offline; needs the broker's keys).",
        subcommands = {RecordingCommand.Verify.class, RecordingCommand.Play.class, RecordingCommand.Export.class})
final class RecordingCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the keys for one recording come from (a picocli mixin: every subcommand takes these options). */
    static final class KeySource {
        @Option(names = "--data", paramLabel = "DIR",
                description = "broker data folder holding keys/ (default: two levels above FILE)")
        Path data;
        @Option(names = "--key", paramLabel = "PUBKEY",
                description = "signer's public key (PEM); default: keys/audit-signing.pub in the data folder")
        Path key;

        Path dataDir(Path file) {
            if (data != null) return data;
            Path parent = file.toAbsolutePath().getParent();
            return parent == null || parent.getParent() == null ? null : parent.getParent();
        }

        VerifyingKey verifyingKey(Path file) {
            Path pem = key != null ? key : dataDir(file) == null ? null : Broker.publicKeyFile(dataDir(file));
            if (pem == null || !Files.isRegularFile(pem)) {
                throw new UsageError("no signer public key: pass --key PUBKEY or --data DIR (looked for " + pem + ")");
            }
            try {
                return VerifyingKey.fromPem(Files.readString(pem, StandardCharsets.US_ASCII));
            } catch (IOException | KeyFormatException e) {
                throw new UsageError(pem + ": not an Ed25519 public key PEM: " + e.getMessage());
            }
        }

        /** The data folder's KEK by id, or an empty map if there is none. */
        Map<String, byte[]> keks(Path file) {
            Path dir = dataDir(file);
            if (dir == null) return Map.of();
            Path kekFile = Broker.recordingKekFile(dir);
            if (!Files.exists(kekFile)) return Map.of();
            try {
                byte[] kek = KeyFiles.loadSecret(kekFile, 32);
                return Map.of(SessionRecordings.kekId(kek), kek);
            } catch (KeyFormatException e) {
                throw new UsageError(e.getMessage());
            }
        }

        Map<String, byte[]> requiredKeks(Path file) {
            Map<String, byte[]> keks = keks(file);
            if (keks.isEmpty()) {
                throw new UsageError("no recording key: " + (dataDir(file) == null ? "pass --data DIR"
                        : Broker.recordingKekFile(dataDir(file)) + " does not exist; pass --data DIR"));
            }
            return keks;
        }
    }

    /** Unusable input: exit 2 with this message. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) throw new UsageError(file + ": no such recording file");
    }

    static FileRecordingSource openSource(Path file) {
        requireFile(file);
        try {
            return FileRecordingSource.open(file);
        } catch (IOException e) {
            throw new UsageError(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Unreadable or not a recording at all is unusable input (2); anything else that fails to verify is 1. */
    static int verificationExit(RecordingVerificationException e) {
        return switch (e.kind()) {
            case BAD_MAGIC, UNSUPPORTED_VERSION, UNKNOWN_KEK -> ExitCodes.USAGE;
            default -> ExitCodes.FAILED;
        };
    }

    static int run(CommandLine.Model.CommandSpec spec, Callable<Integer> body) {
        try {
            return body.call();
        } catch (UsageError e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (RecordingVerificationException e) {
            spec.commandLine().getErr().println("FAILED: " + e.getMessage());
            return verificationExit(e);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (Exception e) {
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify a recording: every chunk's seal and place in the hash chain, and the signed manifest.",
                    "Exit codes: 0 verified and complete, 1 altered or cut short (the first problem is named), 2 unusable input."})
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        KeySource keys;
        @Parameters(paramLabel = "FILE", description = "the .sprec file")
        Path file;

        @Override
        public Integer call() {
            return run(spec, () -> {
                requireFile(file);
                VerifyingKey key = keys.verifyingKey(file);
                Map<String, byte[]> keks = keys.keks(file);
                VerificationResult r;
                try (FileRecordingSource src = openSource(file)) {
                    r = keks.isEmpty() ? RecordingVerifier.verifyWithoutKek(src, key) : RecordingVerifier.verify(src, keks, key);
                }
                PrintWriter out = spec.commandLine().getOut();
                if (!r.decrypted()) out.println("note: no recording key; checked the chain and signature only, not the frames");
                if (!r.complete()) {
                    spec.commandLine().getErr().println("FAILED: " + r.message());
                    return ExitCodes.FAILED;
                }
                var m = r.manifest();
                out.println("OK: " + r.message());
                out.printf("recording %s  session %s  signed by %s%n", m.recordingId(), m.sessionId(), m.signerKeyId());
                out.printf("%s .. %s  chunks %d  frames %d  input %d B  output %d B%n", m.createdAt(), m.closedAt(),
                        m.chunkCount(), m.frameCount(), m.inputBytes(), m.outputBytes());
                out.println("chain head " + m.chainHead());
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "play", mixinStandardHelpOptions = true,
            description = {"Replay a recording's terminal output on this terminal with its original timing.",
                    "For an HTTP session: list its exchanges (method, path, status, size, verdict), or write one body with --exchange N."})
    static final class Play implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        KeySource keys;
        @Option(names = "--speed", paramLabel = "X", defaultValue = "1", description = "speed factor (default: ${DEFAULT-VALUE})")
        double speed;
        @Option(names = "--max-wait", paramLabel = "SECONDS", defaultValue = "2",
                description = "longest pause between frames, after speed-up (default: ${DEFAULT-VALUE})")
        double maxWait;
        @Option(names = "--exchange", paramLabel = "N", description = "HTTP sessions: write the response body of exchange N (as recorded)")
        Integer exchange;
        @Option(names = "--request", description = "with --exchange: the request body instead of the response body")
        boolean requestBody;
        @Parameters(paramLabel = "FILE", description = "the .sprec file")
        Path file;
        /** Tests replace the sleeper (there is no terminal to watch). */
        java.util.function.LongConsumer sleeper = Play::sleepNanos;
        OutputStream terminal = System.out;

        @Override
        public Integer call() {
            return run(spec, () -> {
                requireFile(file);
                if (!(speed > 0) || Double.isInfinite(speed)) throw new UsageError("--speed: must be a positive number, got " + speed);
                if (!(maxWait >= 0)) throw new UsageError("--max-wait: must be zero or more, got " + maxWait);
                VerifyingKey key = keys.verifyingKey(file);
                Map<String, byte[]> keks = keys.requiredKeks(file);
                try (FileRecordingSource probe = openSource(file)) {
                    RecordingVerifier.verify(probe, keks, key); // play only what verifies: name the problem first
                }
                long cap = (long) (maxWait * 1e9);
                try (RecordingReader reader = RecordingReader.open(openSource(file), keks)) {
                    if (HttpRecordingIndex.isHttp(reader.header().header().attributes())) return playHttp(reader);
                    if (exchange != null) throw new UsageError("--exchange: only HTTP session recordings have exchanges");
                    long last = 0;
                    for (Frame f = reader.next(); f != null; f = reader.next()) {
                        if (f.direction() != Direction.OUTPUT) continue;
                        long wait = Math.min(cap, (long) ((f.nanos() - last) / speed));
                        if (wait > 0) sleeper.accept(wait);
                        last = f.nanos();
                        terminal.write(f.bytes());
                        terminal.flush();
                    }
                    if (!reader.complete()) spec.commandLine().getErr().println("\r\nnote: the recording was cut short (no manifest)");
                }
                return ExitCodes.OK;
            });
        }

        private int playHttp(RecordingReader reader) throws java.io.IOException {
            var all = HttpRecordingIndex.read(reader);
            if (exchange != null) {
                var x = all.stream().filter(e -> e.n() == exchange).findFirst()
                        .orElseThrow(() -> new UsageError("--exchange: no exchange " + exchange + " (there are " + all.size() + ")"));
                terminal.write(x.body(!requestBody));
                terminal.flush();
                return ExitCodes.OK;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%4s  %-9s  %-48s  %6s  %10s  %10s  %-7s  %s%n", "#", "method", "path", "status", "req B", "resp B", "verdict", "rule");
            for (var e : all) {
                String path = e.path() + (e.query().isEmpty() ? "" : "?" + e.query());
                if (path.length() > 48) path = path.substring(0, 45) + "...";
                out.printf("%4d  %-9s  %-48s  %6d  %10d  %10d  %-7s  %s%n", e.n(), e.method(), path, e.status(), e.requestBytes(),
                        e.responseBytes(), e.verdict(), e.verdict().equals("pass") ? "" : e.rule());
            }
            out.flush();
            if (!reader.complete()) spec.commandLine().getErr().println("note: the recording was cut short (no manifest)");
            return ExitCodes.OK;
        }

        private static void sleepNanos(long nanos) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export a recording as an asciicast v2 file (playable with `asciinema play`).")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        KeySource keys;
        @Option(names = "--asciicast", required = true, paramLabel = "OUT", description = "the .cast file to write")
        Path out;
        @Option(names = "--with-input", description = "also export the vendor's keystrokes as input events")
        boolean withInput;
        @Parameters(paramLabel = "FILE", description = "the .sprec file")
        Path file;

        @Override
        public Integer call() {
            return run(spec, () -> {
                requireFile(file);
                VerifyingKey key = keys.verifyingKey(file);
                Map<String, byte[]> keks = keys.requiredKeks(file);
                try (FileRecordingSource probe = openSource(file)) {
                    VerificationResult r = RecordingVerifier.verify(probe, keks, key);
                    if (!r.complete()) spec.commandLine().getErr().println("note: " + r.message());
                }
                Path target = out.toAbsolutePath();
                if (!Files.isDirectory(target.getParent())) throw new UsageError("--asciicast: no such folder: " + target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), ".export-", ".cast");
                long events;
                try {
                    try (RecordingReader reader = RecordingReader.open(openSource(file), keks);
                         BufferedWriter w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8))) {
                        if (HttpRecordingIndex.isHttp(reader.header().header().attributes())) {
                            throw new UsageError("an HTTP session has no terminal to export; list its exchanges with: sallyport recording play "
                                    + file);
                        }
                        events = AsciicastExporter.export(reader, w, AsciicastExporter.Options.withDefaults().withInput(withInput));
                    }
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                spec.commandLine().getOut().println("wrote " + events + " events to " + out);
                return ExitCodes.OK;
            });
        }
    }
}
