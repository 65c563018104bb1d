/**
 * Inspectors' evidence bundles (EVIDENCE.md): a signed zip of an audit-chain segment, the events of a period, a
 * session index and recordings, written with bounded memory by {@link org.sallyport.recorder.evidence.EvidenceWriter}
 * and checked offline, with only the bundle, by {@link org.sallyport.recorder.evidence.EvidenceVerifier}.
 */
package org.sallyport.recorder.evidence;
