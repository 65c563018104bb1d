/**
 * Key handling for Sallyport: Ed25519 signing keys, AES-256-GCM sealing, SHA-256 helpers and key files on disk.
 */
package org.sallyport.recorder.crypto;
