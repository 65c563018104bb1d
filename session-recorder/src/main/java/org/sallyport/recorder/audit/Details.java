package org.sallyport.recorder.audit;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Copies event details into an unmodifiable sorted map, rejecting null keys and values with their name. */
final class Details {
    private Details() {}

    static SortedMap<String, String> copy(Map<String, String> details) {
        TreeMap<String, String> copy = new TreeMap<>();
        if (details == null) return Collections.unmodifiableSortedMap(copy);
        for (Map.Entry<String, String> e : details.entrySet()) {
            if (e.getKey() == null) throw new IllegalArgumentException("details has a null key");
            if (e.getValue() == null) throw new IllegalArgumentException("details[" + e.getKey() + "] is null");
            Canonical.utf8("details key", e.getKey());
            Canonical.utf8("details[" + e.getKey() + "]", e.getValue());
            copy.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableSortedMap(copy);
    }
}
