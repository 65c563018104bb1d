package org.sallyport.broker.cli.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sallyport.recorder.crypto.KeyFiles;
import org.sallyport.recorder.crypto.RecipientKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sallyport audit keygen}: an inspector's X25519 key pair for receiving recordings in evidence bundles. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Create an inspector key pair (X25519): PREFIX.key (private, mode 0600) and PREFIX.pub.pem (public).",
                "Give the public key to 'audit export --with-recordings --recipient PREFIX.pub.pem'; keep the private key"
                        + " to play and fully verify those recordings ('audit verify BUNDLE --recipient-key PREFIX.key')."})
public final class AuditKeygenCommand extends ClientCommand {
    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PREFIX", description = "file name prefix, e.g. ~/inspector")
    Path prefix;

    public AuditKeygenCommand() {
        this(CliEnvironment.system());
    }

    public AuditKeygenCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return connection;
    }

    @Override
    public Integer call() throws IOException {
        Path priv = Path.of(prefix + ".key");
        Path pub = Path.of(prefix + ".pub.pem");
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p)) throw new UnusableInputException("-o: " + p + " already exists; not overwritten");
        }
        if (priv.toAbsolutePath().getParent() != null && !Files.isDirectory(priv.toAbsolutePath().getParent())) {
            throw new UnusableInputException("-o: no such folder: " + priv.toAbsolutePath().getParent());
        }
        RecipientKey k = RecipientKey.generate();
        KeyFiles.replaceAtomically(priv, k.privatePem().getBytes(StandardCharsets.US_ASCII), true);
        KeyFiles.replaceAtomically(pub, k.publicPem().getBytes(StandardCharsets.US_ASCII), false);
        println("inspector key " + k.keyId() + ": private " + priv + " (keep it), public " + pub);
        return ClientExitCodes.OK;
    }
}
