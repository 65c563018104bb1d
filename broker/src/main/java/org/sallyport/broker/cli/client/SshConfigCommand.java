package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sallyport ssh-config}: an OpenSSH {@code Host} block per target, for the stock {@code ssh -F FILE TARGET}. */
@Command(name = "ssh-config", mixinStandardHelpOptions = true,
        description = {"Print an OpenSSH client configuration with one Host block per device you may reach (vendor"
                + " technicians, after sallyport login).",
                "Every block points at the broker's SSH gateway and picks the device in the SSH user name, USER+TARGET"
                        + " (e.g. tech+cam-anz-01); it uses the key, certificate and known_hosts that login saved, and"
                        + " turns off agent, X11 and port forwarding.",
                "Example: sallyport ssh-config --output ~/.sallyport/ssh_config && ssh -F ~/.sallyport/ssh_config cam-anz-01",
                "The file stays valid across logins; the certificate it names is renewed by each sallyport login.",
                "A device is only reachable during a window a supervisor approved (see sallyport request)."})
public final class SshConfigCommand extends ClientCommand {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write the configuration to FILE (replaced atomically) instead of standard output.")
    Path output;

    public SshConfigCommand() {
        this(CliEnvironment.system());
    }

    public SshConfigCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return connection;
    }

    @Override
    public Integer call() {
        Session session = requireSession();
        SshAccess ssh = requireSsh(session);
        JsonNode targets;
        try (ApiClient api = authenticatedClient()) {
            targets = api.get("/api/targets");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode t : targets) {
            String id = Table.text(t, "id");
            if (id != null && SshAccess.TARGET_ID.matcher(id).matches()) {
                ids.add(id);
            } else {
                warn("left out target with an id ssh cannot use: " + id);
            }
        }
        String config = render(session, ssh, ids);
        if (output == null) {
            out().print(config);
            out().flush();
            return ClientExitCodes.OK;
        }
        Path file = output.toAbsolutePath();
        try {
            home().writeAtomically(file, config.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UnusableInputException("--output: cannot write " + file + ": " + e.getMessage(), e);
        }
        println("Wrote " + ids.size() + " host(s) to " + file + "; connect with: ssh -F " + file + " TARGET");
        return ClientExitCodes.OK;
    }

    static String render(Session session, SshAccess ssh, List<String> targets) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by sallyport ssh-config for ").append(ssh.principal()).append(" at ").append(oneLine(session.url()))
                .append(".\n# The certificate is renewed by sallyport login; this file stays valid.\n");
        for (String target : targets) {
            sb.append("\nHost ").append(target).append('\n');
            sb.append("  HostName ").append(ssh.host()).append('\n');
            sb.append("  Port ").append(ssh.port()).append('\n');
            sb.append("  User ").append(ssh.sshUser(target)).append('\n');
            for (SshAccess.Option o : ssh.options()) sb.append("  ").append(o.name()).append(' ').append(o.value()).append('\n');
        }
        return sb.toString();
    }

    /** The session's SSH part, or exit 2 saying how to get one. */
    static SshAccess requireSsh(Session session) {
        if (session.ssh() == null) {
            throw new UnusableInputException("no SSH certificate in this session: only vendor technicians get one, at"
                    + " sallyport login");
        }
        return session.ssh();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
    }
}
