package org.sallyport.broker.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.domain.Target;
import org.sallyport.policy.model.PolicyContext;
import org.sallyport.policy.model.RequestInfo;
import org.sallyport.policy.model.Requester;
import org.sallyport.policy.model.SessionInfo;
import org.sallyport.policy.model.TargetInfo;

/** Broker domain objects as the policy sees them (the context documented in policy-rules/POLICY.md). */
public final class PolicyContexts {
    private PolicyContexts() {}

    /**
     * {@code requester.groups}: the person's role names (e.g. {@code vendor-technician}), {@code /vendors/<org>}
     * for their organisation and {@code /sites/<site>} for each site they supervise, like the Keycloak groups.
     */
    public static Requester requester(Principal p) {
        Set<String> groups = new LinkedHashSet<>();
        for (Role r : p.roles()) groups.add(r.wireName());
        if (p.org() != null) groups.add("/vendors/" + p.org());
        for (String s : p.sites()) groups.add("/sites/" + s);
        return new Requester(p.username(), p.org(), groups);
    }

    public static TargetInfo target(Target t) {
        return new TargetInfo(t.id(), t.site(), t.kind(), t.tags());
    }

    /**
     * For a live session under {@code r} on {@code t} at {@code now}: the context the gateway builds the
     * session's guard from ({@code policy.guardRules(ctx)}). Only vendor technicians hold requests, so the
     * requester's groups are {@code vendor-technician} and {@code /vendors/<org>}.
     */
    public static PolicyContext forSession(AccessRequest r, Target t, Instant now) {
        Set<String> groups = new LinkedHashSet<>();
        groups.add(Role.VENDOR_TECHNICIAN.wireName());
        if (r.requesterOrg() != null) groups.add("/vendors/" + r.requesterOrg());
        return PolicyContext.forSession(new Requester(r.requester(), r.requesterOrg(), groups), target(t),
                new RequestInfo(r.start(), r.duration(), r.reason(), r.ticket()), SessionInfo.NONE, now);
    }

    public static PolicyContext forRequest(Principal who, Target t, Instant start, Duration duration, String reason, String ticket) {
        return PolicyContext.forRequest(requester(who), target(t), new RequestInfo(start, duration, reason, ticket));
    }
}
