package org.sallyport.broker.domain;

/** Why a brokered session ended (DESIGN.md: Session). */
public enum SessionEndReason {
    COMPLETED("completed"),
    EXPIRED("expired"),
    TERMINATED_BY_SUPERVISOR("terminated-by-supervisor"),
    REVOKED("revoked"),
    POLICY_VIOLATION("policy-violation"),
    BROKER_RESTART("broker-restart"),
    DEVICE_ERROR("device-error"),
    RECORDER_FAILURE("recorder-failure");

    private final String wireName;

    SessionEndReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static SessionEndReason fromWireName(String s) {
        for (SessionEndReason r : values()) if (r.wireName.equals(s)) return r;
        throw new IllegalArgumentException("unknown end reason " + s);
    }
}
