package org.sallyport.broker.gateway;

/**
 * The one policy hook of a brokered session: asked for every channel request and for every byte in both
 * directions, before the bytes are forwarded. Deny by default: an implementation that does not know a
 * request answers {@link Action#BLOCK}. The policy engine (policy-rules) plugs in here.
 *
 * <p>Threading: input and output are called from the two pump threads of one session; implementations
 * keep per-direction state separate or synchronise.
 */
public interface SessionGuard {

    enum Action { PASS, BLOCK, TERMINATE }

    /** A decision and the rule that made it; every non-PASS verdict becomes an audit event. */
    record Verdict(Action action, String ruleId, String reason) {
        public static Verdict pass(String ruleId) {
            return new Verdict(Action.PASS, ruleId, "allowed");
        }
    }

    /** kind: shell, exec, subsystem, port-forward, agent, x11; detail: command, subsystem name or address. */
    Verdict channelRequest(String kind, String detail);

    /** Vendor to device; {@code offset} counts bytes of this direction before these. */
    Verdict input(long offset, byte[] data, int off, int len);

    /** Device to vendor. */
    Verdict output(long offset, byte[] data, int off, int len);
}
