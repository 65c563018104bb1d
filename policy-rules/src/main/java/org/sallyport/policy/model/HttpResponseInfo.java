package org.sallyport.policy.model;

/** A device's HTTP response head, for the HTTP proxy; contentType null when absent. */
public record HttpResponseInfo(int status, String contentType) {}
