package org.sallyport.broker.gateway;

/**
 * The one policy hook of a brokered session: asked for every channel request and for every byte in both
 * directions, before the bytes are forwarded. Deny by default: an implementation that does not know a
 * request answers {@link Action#BLOCK}. The policy engine (policy-rules) plugs in here through a
 * {@link Factory}, which makes one guard per session so that stream state (half-typed lines, detector
 * state, volume) never leaks between sessions.
 *
 * <p>Threading: input, output and error are called from the three pump threads of one session;
 * implementations keep per-direction state separate or synchronise.
 */
public interface SessionGuard {

    enum Action { PASS, BLOCK, TERMINATE }

    /**
     * A decision and the rule that made it; every non-PASS verdict becomes an audit event.
     *
     * @param matchOffset offset, in the guarded stream (input, stdout or stderr), of the byte that completed
     *     the match; -1 when not about bytes
     * @param match what matched (detector sub-rule, command fragment, channel detail); may be empty
     */
    record Verdict(Action action, String ruleId, String reason, long matchOffset, String match) {
        public Verdict(Action action, String ruleId, String reason) {
            this(action, ruleId, reason, -1, "");
        }

        public static Verdict pass(String ruleId) {
            return new Verdict(Action.PASS, ruleId, "allowed");
        }
    }

    /**
     * What a guard is made for.
     *
     * @param kind shell, exec, subsystem, port-forward, agent, x11
     * @param command exec command, subsystem name or forwarded address; null for a shell
     * @param pty whether the vendor asked for a terminal
     */
    record Context(String user, String targetId, String kind, String command, boolean pty) {}

    /** Makes the guard of one session, with the policy in force at its start. */
    @FunctionalInterface
    interface Factory {
        SessionGuard forSession(Context context);
    }

    /** kind: shell, exec, subsystem, port-forward, agent, x11; detail: command, subsystem name or address. */
    Verdict channelRequest(String kind, String detail);

    /** Vendor to device; {@code offset} counts bytes of this direction before these. */
    Verdict input(long offset, byte[] data, int off, int len);

    /** Device to vendor (stdout). */
    Verdict output(long offset, byte[] data, int off, int len);

    /** Device to vendor (stderr); by default judged like stdout. */
    default Verdict error(long offset, byte[] data, int off, int len) {
        return output(offset, data, off, len);
    }
}
