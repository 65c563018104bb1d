/**
 * Audit events for SIEMs: OCSF-shaped JSON ({@link org.sallyport.recorder.siem.Ocsf}) and RFC 5424 syslog over TCP with
 * TLS (RFC 5425 framing, {@link org.sallyport.recorder.siem.SyslogTlsForwarder}). Specified in SIEM.md.
 */
package org.sallyport.recorder.siem;
