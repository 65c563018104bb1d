package org.sallyport.broker.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;

/**
 * Answers a subsystem request (sftp) by asking the session guard, auditing the refusal and telling the
 * vendor why on stderr, instead of a silent protocol failure. Never runs the subsystem.
 */
final class RefusedSubsystem implements SubsystemFactory {
    private final Gateway gw;
    private final String name;

    RefusedSubsystem(Gateway gw, String name) {
        this.gw = gw;
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Command createSubsystem(ChannelSession channel) {
        return new Command() {
            private OutputStream err;
            private ExitCallback exit;

            @Override
            public void setInputStream(java.io.InputStream in) {}

            @Override
            public void setOutputStream(OutputStream out) {}

            @Override
            public void setErrorStream(OutputStream err) {
                this.err = err;
            }

            @Override
            public void setExitCallback(ExitCallback callback) {
                this.exit = callback;
            }

            @Override
            public void start(ChannelSession ch, Environment env) {
                Thread.ofVirtual().name("gw-refuse-" + name).start(() -> refuse(ch)); // audit writes block
            }

            private void refuse(ChannelSession ch) {
                var s = ch.getServerSession();
                SessionGuard.Verdict v = gw.refuseChannel(s.getAttribute(Gateway.USER), s.getAttribute(Gateway.TARGET), "subsystem", name);
                String msg = "sallyport: " + v.reason() + " (rule " + v.ruleId() + ")\r\n";
                try {
                    err.write(msg.getBytes(StandardCharsets.UTF_8));
                    err.flush();
                } catch (IOException e) {
                    // the vendor went away; the refusal is audited
                }
                exit.onExit(1, v.reason());
            }

            @Override
            public void destroy(ChannelSession ch) {}
        };
    }
}
