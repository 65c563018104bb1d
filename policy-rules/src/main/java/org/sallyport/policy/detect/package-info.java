/**
 * Streaming, chunking-independent detectors that recognise bulk export (images, video, archives
 * and their base64, hex-dump and uuencoded forms, plus a volume cap) in a guarded session's byte
 * stream.
 */
package org.sallyport.policy.detect;
