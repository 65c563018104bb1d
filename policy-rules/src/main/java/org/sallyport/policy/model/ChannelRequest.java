package org.sallyport.policy.model;

/**
 * A channel request as the gateway sees it.
 *
 * @param kind   shell, exec, subsystem, port-forward, agent, x11
 * @param detail the command for exec, the subsystem name, or the forwarded address; may be null
 */
public record ChannelRequest(String kind, String detail) {}
