/**
 * The tamper-evident audit chain: hash-linked events, signed checkpoints and a streaming verifier that names
 * the first break.
 */
package org.sallyport.recorder.audit;
