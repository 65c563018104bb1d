package org.sallyport.broker.gateway;

/**
 * The built-in guard until the policy engine is configured: interactive shell and exec only; sftp/scp
 * subsystems, port forwarding, agent and X11 forwarding refused; bytes pass (they are all recorded).
 */
public final class DefaultSessionGuard implements SessionGuard {
    public static final String RULE_CHANNELS = "builtin.channels.shell-exec-only";
    public static final String RULE_BYTES = "builtin.bytes.recorded";

    /** A factory handing every session this guard (it keeps no per-session state). */
    public static Factory factory() {
        DefaultSessionGuard g = new DefaultSessionGuard();
        return ctx -> g;
    }

    @Override
    public Verdict channelRequest(String kind, String detail) {
        return switch (kind) {
            case "shell", "exec" -> Verdict.pass(RULE_CHANNELS);
            default -> new Verdict(Action.BLOCK, RULE_CHANNELS, kind + " is not allowed through Sallyport");
        };
    }

    @Override
    public Verdict input(long offset, byte[] data, int off, int len) {
        return Verdict.pass(RULE_BYTES);
    }

    @Override
    public Verdict output(long offset, byte[] data, int off, int len) {
        return Verdict.pass(RULE_BYTES);
    }
}
