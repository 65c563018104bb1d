package org.sallyport.broker.cli.client;

/** Canned API objects shaped exactly as in openapi.yaml. */
final class Samples {
    static final String TOKEN = "eyJhbGciOiJFZERTQSJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl";

    static final String LOGIN = """
            {"accessToken":"%s","tokenType":"Bearer","expiresIn":900,"expiresAt":"2025-06-01T12:15:00Z",
             "user":{"username":"alice","roles":["vendor-technician"],"org":"acme","sites":[]}}""".formatted(TOKEN);

    static String login(String username, String role) {
        return """
                {"accessToken":"%s","tokenType":"Bearer","expiresIn":900,"expiresAt":"2025-06-01T12:15:00Z",
                 "user":{"username":"%s","roles":["%s"],"org":"acme","sites":[]}}""".formatted(TOKEN, username, role);
    }

    static final String TECH_LOGIN = login("tech", "vendor-technician");

    static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    /** Any text will do for the client; the broker's signing is tested with the gateway. */
    static final String CERTIFICATE_LINE = "ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29t tech";

    static final String CERTIFICATE = """
            {"certificate":"%s","principal":"tech","validBefore":"2025-06-01T12:15:00Z","sshHost":"127.0.0.1","sshPort":2222,
             "hostKey":"%s broker"}""".formatted(CERTIFICATE_LINE, HOST_KEY);

    static final String TARGETS = """
            [{"id":"cam-anz-01","site":"anzalduas","kind":"ip-camera","address":"10.0.0.11","sshPort":22,"httpPort":80,
              "hostKey":"ssh-ed25519 AAAA","tags":[],"approvalsRequired":1},
             {"id":"lpr-anz-02","site":"anzalduas","kind":"plate-reader","address":"10.0.0.12","sshPort":22,"httpPort":80,
              "hostKey":"ssh-ed25519 AAAA","tags":[],"approvalsRequired":1}]""";

    static final String GRANT = """
            {"id":"g-1","requestId":"r-1","username":"alice","org":"acme","targetId":"cam-anz-01","site":"anzalduas",
             "notBefore":"2025-06-01T12:00:00Z","notAfter":"2025-06-01T12:45:00Z","status":"active",
             "revokedAt":null,"revokedBy":null}""";

    static String request(String state, String approvals, String grants) {
        return """
                {"id":"r-1","state":"%s","requester":"alice","requesterOrg":"acme","targets":["cam-anz-01","cam-anz-02"],
                 "sites":["anzalduas"],"start":"2025-06-01T12:00:00Z","end":"2025-06-01T12:45:00Z","duration":"PT45M",
                 "reason":"replace focus motor","ticket":"CHG-1234","approvalsRequired":2,"decisionRule":"vendors-default",
                 "approvals":[%s],"grants":[%s],"createdAt":"2025-06-01T12:00:00Z","updatedAt":"2025-06-01T12:00:00Z"}"""
                .formatted(state, approvals, grants);
    }

    static final String PENDING = request("PENDING", "", "");

    static final String VERIFY_OK = """
            {"ok":true,"events":42,"firstSeq":1,"lastSeq":42,"headHash":"9f2c","checkpointsVerified":3,
             "publicKey":"-----BEGIN PUBLIC KEY-----\\nMCo=\\n-----END PUBLIC KEY-----\\n","keyId":"k1","failure":null}""";

    static final String VERIFY_BROKEN = """
            {"ok":false,"events":17,"firstSeq":1,"lastSeq":17,"headHash":"77aa","checkpointsVerified":1,
             "publicKey":"-----BEGIN PUBLIC KEY-----\\nMCo=\\n-----END PUBLIC KEY-----\\n","keyId":"k1",
             "failure":{"seq":17,"kind":"hash-mismatch","message":"prevHash does not match the hash of event 16"}}""";

    private Samples() {}
}
