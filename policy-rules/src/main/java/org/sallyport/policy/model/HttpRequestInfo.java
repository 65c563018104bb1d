package org.sallyport.policy.model;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request on its way to a device, for the HTTP proxy.
 *
 * @param query       decoded query parameters
 * @param contentType the request body's media type, null when there is no body
 */
public record HttpRequestInfo(String method, String path, Map<String, List<String>> query, String contentType) {
    public HttpRequestInfo {
        query = query == null ? Map.of() : Map.copyOf(query);
    }
}
