/**
 * The session recording format: frames sealed in AES-256-GCM chunks under a per-recording data key, hash-chained
 * over the ciphertext and closed by an Ed25519-signed manifest, with its writer, streaming reader, verifier and
 * asciicast exporter (specified in {@code session-recorder/FORMAT.md}).
 */
package org.sallyport.recorder.recording;
