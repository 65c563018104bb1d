package org.sallyport.broker.gateway;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Grant;
import org.sallyport.broker.domain.Target;
import org.sallyport.broker.policy.PolicyContexts;
import org.sallyport.broker.store.GrantFilter;
import org.sallyport.broker.store.Store;
import org.sallyport.broker.workflow.TargetCatalog;
import org.sallyport.policy.eval.Policy;
import org.sallyport.policy.guard.GuardRules;
import org.sallyport.policy.guard.StreamGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards built from the YAML policy in force when each session starts: the session's request and target
 * become the policy context, and {@link Policy#guardRules} gives the {@link StreamGuard}'s rules (so a
 * policy's {@code when} conditions on target, requester or time choose the session's channels, input and
 * output rules).
 *
 * <p>Security guarantees: fail closed. Without a usable grant, or when the policy or the store fails, the
 * session gets no channel rules (every channel request is refused by the guard's default deny) and every
 * built-in input rule and detector.
 *
 * <p>Threading: blocking (one store read per session); called on MINA threads, never an event loop.
 */
public final class PolicySessionGuards {
    private static final Logger LOG = LoggerFactory.getLogger(PolicySessionGuards.class);

    private PolicySessionGuards() {}

    public static SessionGuard.Factory factory(Supplier<Policy> policy, Store store, TargetCatalog targets, InstantSource clock) {
        Objects.requireNonNull(policy, "policy");
        return ctx -> new RulesSessionGuard(new StreamGuard(rules(policy, store, targets, clock, ctx), ctx.pty(), clock));
    }

    static GuardRules rules(Supplier<Policy> policy, Store store, TargetCatalog targets, InstantSource clock, SessionGuard.Context ctx) {
        try {
            Instant now = clock.instant();
            Target t = targets.find(ctx.targetId()).orElse(null);
            AccessRequest r = t == null ? null : store.inTransaction(tx -> {
                for (Grant g : tx.listGrants(new GrantFilter(ctx.user(), null, null, ctx.targetId(), 100))) {
                    if (g.usableAt(now)) return tx.findRequest(g.requestId(), false).orElse(null);
                }
                return null;
            });
            if (r == null) return denyAll();
            return policy.get().guardRules(PolicyContexts.forSession(r, t, now));
        } catch (RuntimeException e) {
            LOG.error("guard rules for {} on {} could not be built from the policy; refusing every channel", ctx.user(), ctx.targetId(), e);
            return denyAll();
        }
    }

    /** No channel rules (default deny) and the built-in input rules and detectors. */
    private static GuardRules denyAll() {
        GuardRules d = GuardRules.defaults();
        return new GuardRules(List.of(), d.input(), d.output());
    }
}
