package org.sallyport.broker.config;

import java.util.List;

/**
 * A target as written in YAML. {@code credentialRef} names an entry in the encrypted credential vault;
 * the secret itself is never in configuration. {@code deviceUser} is the account the broker logs in as on
 * the device (required with {@code sshPort}).
 */
public record TargetConfig(String id, String site, String kind, String address, Integer sshPort, Integer httpPort,
                           String hostKey, String deviceUser, String credentialRef, List<String> orgs, List<String> tags,
                           Integer approvalsRequired) {}
