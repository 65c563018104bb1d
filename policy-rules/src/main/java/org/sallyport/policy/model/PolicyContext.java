package org.sallyport.policy.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Everything a condition may look at. {@code at} is the moment that CEL's {@code time.*} describes, in the
 * target site's time zone: the window's start for admission, approvals and limits; the current time for
 * decisions about a live session.
 */
public record PolicyContext(Requester requester, TargetInfo target, RequestInfo request, SessionInfo session, Instant at) {
    public PolicyContext {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(request, "request");
        session = session == null ? SessionInfo.NONE : session;
        Objects.requireNonNull(at, "at");
    }

    /** For admission: time is the window's start, no session yet. */
    public static PolicyContext forRequest(Requester requester, TargetInfo target, RequestInfo request) {
        return new PolicyContext(requester, target, request, SessionInfo.NONE, request.start());
    }

    /** For a live session at {@code now}. */
    public static PolicyContext forSession(Requester requester, TargetInfo target, RequestInfo request, SessionInfo session,
                                           Instant now) {
        return new PolicyContext(requester, target, request, session, now);
    }
}
