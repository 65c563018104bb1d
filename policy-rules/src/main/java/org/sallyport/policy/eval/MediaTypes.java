package org.sallyport.policy.eval;

import java.util.List;
import java.util.Locale;

/** Media type matching for HTTP rules: {@code type/subtype} or {@code type/*}, parameters ignored. */
final class MediaTypes {
    private MediaTypes() {}

    static boolean anyMatches(List<String> allowed, String contentType) {
        String t = essence(contentType);
        for (String a : allowed) {
            if (a.endsWith("/*") ? t.startsWith(a.substring(0, a.length() - 1)) : t.equals(a)) return true;
        }
        return false;
    }

    static String essence(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }
}
