package org.sallyport.policy.model;

/** What happens to a live stream: let it through, drop the offending line, or end the session. */
public enum StreamAction {
    PASS, BLOCK, TERMINATE
}
