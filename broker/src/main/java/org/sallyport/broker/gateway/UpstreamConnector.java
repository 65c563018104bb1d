package org.sallyport.broker.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.core.CoreModuleProperties;
import org.sallyport.broker.credentials.CredentialVault;
import org.sallyport.broker.domain.Target;

/**
 * Opens the broker's own SSH connection to a device, logging in with the credential from the vault (the
 * vendor never sees it) and accepting only the device's pinned host key.
 *
 * <p>Security guarantees: a device presenting any other host key is refused before authentication, so
 * the credential is never sent to an impostor. Credentials are a password or an OpenSSH private key (PEM);
 * unencrypted keys only, since the vault already encrypts them.
 */
final class UpstreamConnector implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final SshClient client;
    private final CredentialVault vault;
    /** Pinned host keys by device address, from configuration. */
    private final Map<String, PublicKey> pinned = new ConcurrentHashMap<>();

    UpstreamConnector(CredentialVault vault, Iterable<Target> targets) {
        this.vault = vault;
        for (Target t : targets) {
            if (t.sshPort() > 0 && t.hostKey() != null) pinned.put(t.address() + ":" + t.sshPort(), parse(t));
        }
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new PinnedVerifier());
        SshAlgorithms.deviceSide(client);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(30));
        client.start();
    }

    private static PublicKey parse(Target t) {
        try {
            return PublicKeyEntry.parsePublicKeyEntry(t.hostKey()).resolvePublicKey(null, Map.of(), null);
        } catch (Exception e) {
            throw new IllegalArgumentException("target " + t.id() + ": hostKey is not a valid OpenSSH public key");
        }
    }

    /** Thrown when the device shows another host key than the pinned one. */
    static final class HostKeyMismatch extends IOException {
        HostKeyMismatch(String message) {
            super(message);
        }
    }

    private final class PinnedVerifier implements ServerKeyVerifier {
        @Override
        public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
            if (!(remote instanceof InetSocketAddress a)) return false;
            PublicKey expected = pinned.get(a.getHostString() + ":" + a.getPort());
            boolean ok = expected != null && KeyUtils.compareKeys(expected, serverKey);
            if (!ok) session.setAttribute(MISMATCH, KeyUtils.getFingerPrint(serverKey));
            return ok;
        }
    }

    static final org.apache.sshd.common.AttributeRepository.AttributeKey<String> MISMATCH = new org.apache.sshd.common.AttributeRepository.AttributeKey<>();

    /** Terminal parameters of the vendor's channel, forwarded to the device. */
    public record Pty(String term, int columns, int lines) {}

    /** A connected, authenticated session with one open channel. */
    record Upstream(ClientSession session, ClientChannel channel) implements AutoCloseable {
        @Override
        public void close() {
            channel.close(true);
            session.close(true);
        }
    }

    Upstream open(Target target, String command, Pty pty) throws IOException {
        ClientSession session = client.connect(target.deviceUser(), target.address(), target.sshPort()).verify(TIMEOUT).getSession();
        try {
            char[] secret = vault.get(target.credentialRef())
                    .orElseThrow(() -> new IOException("no credential '" + target.credentialRef() + "' in the vault"));
            try {
                addIdentity(session, target, secret);
            } finally {
                java.util.Arrays.fill(secret, '\0');
            }
            try {
                session.auth().verify(TIMEOUT);
            } catch (IOException e) {
                String fp = session.getAttribute(MISMATCH);
                if (fp != null) throw new HostKeyMismatch("device " + target.id() + " presented host key " + fp + ", not the pinned key");
                throw new IOException("device " + target.id() + " refused the broker's login: " + e.getMessage(), e);
            }
            ClientChannel channel;
            if (command == null) {
                ChannelShell shell = session.createShellChannel();
                configure(shell, pty);
                channel = shell;
            } else {
                ChannelExec exec = session.createExecChannel(command);
                configure(exec, pty);
                channel = exec;
            }
            channel.open().verify(TIMEOUT);
            return new Upstream(session, channel);
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    /** A vaulted OpenSSH private key logs in by public key; anything else is a password. */
    private static void addIdentity(ClientSession session, Target target, char[] secret) throws IOException {
        String s = new String(secret);
        if (!s.startsWith("-----BEGIN ")) {
            session.addPasswordIdentity(s);
            return;
        }
        try {
            Iterable<java.security.KeyPair> keys = org.apache.sshd.common.util.security.SecurityUtils.loadKeyPairIdentities(
                    session, org.apache.sshd.common.NamedResource.ofName(target.credentialRef()),
                    new java.io.ByteArrayInputStream(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null);
            if (keys == null || !keys.iterator().hasNext()) throw new IOException("credential " + target.credentialRef() + " holds no usable key");
            for (java.security.KeyPair kp : keys) session.addPublicKeyIdentity(kp);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("credential " + target.credentialRef() + " is not a usable private key", e);
        }
    }

    private static void configure(org.apache.sshd.client.channel.PtyCapableChannelSession ch, Pty pty) {
        if (pty == null) {
            ch.setUsePty(false);
            return;
        }
        ch.setUsePty(true);
        ch.setPtyType(pty.term());
        ch.setPtyColumns(pty.columns());
        ch.setPtyLines(pty.lines());
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (RuntimeException ignored) {
            // shutting down anyway
        }
    }
}
