package org.sallyport.broker.gateway;

/** Opens the recording of a new session; throws when no recording can be made (the session is then refused). */
@FunctionalInterface
public interface Recordings {
    /**
     * @param command the exec command, or null for a shell
     * @param pty the vendor's terminal, or null without one
     */
    SessionRecording open(GatewaySessions.Admission admission, String kind, String command, UpstreamConnector.Pty pty);
}
