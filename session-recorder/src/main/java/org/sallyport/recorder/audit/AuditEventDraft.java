package org.sallyport.recorder.audit;

import java.util.Map;

/**
 * What happened, before the chain gives it a sequence number, time and hash.
 *
 * @param actor      who did it (user id, "system"); not blank
 * @param action     what was done ("request.approve"); not blank
 * @param objectType the kind of object acted on ("access-request"); not blank
 * @param objectId   its id, or null when the action has no single object
 * @param details    further facts; null means none; copied into an unmodifiable map sorted by key
 */
public record AuditEventDraft(String actor, String action, String objectType, String objectId, Map<String, String> details) {
    public AuditEventDraft {
        Canonical.requireText("actor", actor);
        Canonical.requireText("action", action);
        Canonical.requireText("objectType", objectType);
        if (objectId != null) Canonical.utf8("objectId", objectId);
        details = Details.copy(details);
    }
}
