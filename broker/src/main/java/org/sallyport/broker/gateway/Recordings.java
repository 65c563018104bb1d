package org.sallyport.broker.gateway;

/** Opens the recording of a new session; throws when no recording can be made (the session is then refused). */
@FunctionalInterface
public interface Recordings {
    SessionRecording open(GatewaySessions.Admission admission, String kind, String command);
}
