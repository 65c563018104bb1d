package org.sallyport.policy.detect;

import java.util.Optional;

/**
 * A stateful detector for one stream (one session, one direction).
 *
 * <p>Contract shared by every implementation in this package:
 *
 * <ul>
 *   <li><b>Split invariance:</b> the detection (rule id and offset) depends only on the bytes
 *       of the stream, never on how they were cut into chunks.
 *   <li><b>Sticky:</b> a detector reports at most one detection per stream, the one with the
 *       smallest offset. Once it has fired, every later {@code feed} returns that same detection
 *       again (fail closed: a caller that ignored it is told again) and no more bytes are
 *       examined, until {@link #reset()}.
 *   <li><b>Bounded memory:</b> the state carried between chunks is a fixed number of bytes
 *       (at most a few hundred), independent of the stream length.
 *   <li><b>Threading:</b> not thread-safe; one instance per stream, fed by one thread at a time.
 * </ul>
 */
public interface StreamDetector {

  /**
   * Examines the next {@code len} bytes of the stream.
   *
   * @return the first detection completed within this chunk, or the earlier sticky detection;
   *     empty if the stream is clean so far
   * @throws IndexOutOfBoundsException if {@code off}/{@code len} do not fit {@code data}
   */
  Optional<Detection> feed(byte[] data, int off, int len);

  /** Forgets everything: the next byte fed is offset 0 of a new stream. */
  void reset();

  /** Stable detector name, e.g. {@code binary} or {@code volume.output}. */
  String id();
}
