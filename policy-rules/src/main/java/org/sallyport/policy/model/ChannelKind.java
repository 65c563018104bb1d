package org.sallyport.policy.model;

import java.util.Locale;
import java.util.Optional;

/** The SSH channel and request kinds a policy allows or denies. Policy files spell them in lower camel case. */
public enum ChannelKind {
    SHELL("shell"), EXEC("exec"), SFTP("sftp"), SCP("scp"), PORT_FORWARDING("portForwarding"), AGENT("agent"), X11("x11");

    private final String yamlName;

    ChannelKind(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Optional<ChannelKind> fromYamlName(String name) {
        for (ChannelKind k : values()) if (k.yamlName.equals(name)) return Optional.of(k);
        return Optional.empty();
    }

    /**
     * Classifies the gateway's request kinds (shell, exec, subsystem, port-forward, agent, x11) and their
     * detail: an exec of {@code scp} is SCP, the {@code sftp} subsystem is SFTP, any other subsystem is
     * unknown (empty, and so denied).
     */
    public static Optional<ChannelKind> classify(String kind, String detail) {
        String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        return switch (k) {
            case "shell" -> Optional.of(SHELL);
            case "exec" -> Optional.of(isScp(detail) ? SCP : EXEC);
            case "subsystem" -> "sftp".equals(detail) ? Optional.of(SFTP) : Optional.empty();
            case "port-forward", "port-forwarding", "direct-tcpip", "tcpip-forward" -> Optional.of(PORT_FORWARDING);
            case "agent", "auth-agent", "auth-agent-req@openssh.com" -> Optional.of(AGENT);
            case "x11", "x11-req" -> Optional.of(X11);
            default -> Optional.empty();
        };
    }

    private static boolean isScp(String command) {
        if (command == null) return false;
        String c = command.strip();
        return c.equals("scp") || c.startsWith("scp ") || c.startsWith("scp\t") || c.contains("/scp ");
    }
}
