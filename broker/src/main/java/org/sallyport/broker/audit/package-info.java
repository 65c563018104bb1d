/**
 * The broker's side of the audit chain: appends events inside the caller's transaction, signs
 * checkpoints, and walks the chain for verification. The chain format itself is in session-recorder.
 */
package org.sallyport.broker.audit;
