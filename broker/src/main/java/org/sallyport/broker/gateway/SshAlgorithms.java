package org.sallyport.broker.gateway;

import java.util.List;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.helpers.AbstractFactoryManager;

/**
 * Cipher choice for both legs of a brokered session. Every byte is decrypted and re-encrypted here (and
 * sealed once more into the recording), so the cipher is the gateway's throughput: the JDK's AES-GCM runs
 * on AES-NI and carry-less multiply, while MINA's chacha20-poly1305 is plain Java and measured ~5x slower
 * per byte in the gateway benchmark (JFR: a quarter of all CPU samples).
 *
 * <ul>
 *   <li>Vendor side (our server): AES-GCM, then AES-CTR with the default encrypt-then-MAC MACs. No
 *       chacha20: SSH lets the client's preference win, and the stock OpenSSH client puts chacha20 first,
 *       so offering it would choose the slow path for every vendor. Every OpenSSH since 6.2 speaks AES-GCM.</li>
 *   <li>Device side (our client): the same order, with chacha20 last for devices that offer nothing else.</li>
 * </ul>
 */
final class SshAlgorithms {
    private static final List<BuiltinCiphers> FAST = List.of(
            BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr, BuiltinCiphers.aes256ctr);

    private SshAlgorithms() {}

    static void vendorSide(AbstractFactoryManager server) {
        server.setCipherFactories(supported(FAST));
    }

    static void deviceSide(AbstractFactoryManager client) {
        List<BuiltinCiphers> all = new java.util.ArrayList<>(FAST);
        all.add(BuiltinCiphers.cc20p1305_openssh);
        client.setCipherFactories(supported(all));
    }

    private static List<NamedFactory<Cipher>> supported(List<BuiltinCiphers> ciphers) {
        List<NamedFactory<Cipher>> out = ciphers.stream().filter(BuiltinCiphers::isSupported)
                .<NamedFactory<Cipher>>map(c -> c).toList();
        if (out.isEmpty()) throw new IllegalStateException("no supported SSH cipher in this JVM");
        return out;
    }
}
