package org.sallyport.broker.gateway;

import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Supplier;
import org.sallyport.policy.guard.ChannelKind;
import org.sallyport.policy.guard.GuardRules;
import org.sallyport.policy.guard.GuardVerdict;
import org.sallyport.policy.guard.StreamGuard;

/**
 * The gateway's guard backed by policy-rules: one {@link StreamGuard} per session, built from the
 * {@link GuardRules} in force when the session starts (a reloaded policy applies to new sessions).
 * A rule-supplier failure or an unknown channel kind is a refusal (fail closed).
 */
public final class RulesSessionGuard implements SessionGuard {
    private final StreamGuard guard;

    RulesSessionGuard(StreamGuard guard) {
        this.guard = guard;
    }

    /** A factory over the current rules; e.g. {@code factory(GuardRules::defaults, clock)}. */
    public static Factory factory(Supplier<GuardRules> rules, InstantSource clock) {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(clock, "clock");
        return ctx -> new RulesSessionGuard(new StreamGuard(Objects.requireNonNull(rules.get(), "guard rules"), ctx.pty(), clock));
    }

    @Override
    public Verdict channelRequest(String kind, String detail) {
        ChannelKind k;
        try {
            k = StreamGuard.classify(kind, detail);
        } catch (IllegalArgumentException e) {
            return new Verdict(Action.BLOCK, GuardRules.RULE_CHANNEL_DEFAULT, kind + " is not allowed by any rule");
        }
        return map(guard.channelRequest(k, detail));
    }

    @Override
    public Verdict input(long offset, byte[] data, int off, int len) {
        return map(guard.input(data, off, len));
    }

    @Override
    public Verdict output(long offset, byte[] data, int off, int len) {
        return map(guard.output(data, off, len));
    }

    @Override
    public Verdict error(long offset, byte[] data, int off, int len) {
        return map(guard.error(data, off, len));
    }

    private static Verdict map(GuardVerdict v) {
        Action a = switch (v.action()) {
            case PASS -> Action.PASS;
            case BLOCK -> Action.BLOCK;
            case TERMINATE -> Action.TERMINATE;
        };
        return new Verdict(a, v.ruleId(), v.reason(), v.offset(), v.match());
    }
}
