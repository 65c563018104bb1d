package org.sallyport.policy.detect;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight-bytes-at-a-time searches ("SIMD within a register") for the detectors' skip loops: one
 * unaligned little-endian {@code long} load and a few arithmetic operations replace eight byte
 * compares while nothing interesting is in the word.
 *
 * <p>The zero-byte test {@code (x - 0x01..) & ~x & 0x80..} flags every zero byte of {@code x}
 * exactly, and may also flag a {@code 0x01} byte <em>above</em> (later in memory than) a flagged
 * zero byte (the borrow ripples upward), so the lowest flagged byte is always a true match.
 */
final class Swar {
  private Swar() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final long LO = 0x0101010101010101L;
  static final long HI = 0x8080808080808080L;

  static long load(byte[] data, int i) {
    return (long) LONGS.get(data, i);
  }

  /** High bit set in each byte of {@code x} that is zero (plus possible 0x01 bytes above one). */
  static long zeros(long x) {
    return (x - LO) & ~x & HI;
  }

  static long broadcast(int b) {
    return LO * (b & 0xFF);
  }

  private static final long LF = broadcast('\n');
  private static final long CR = broadcast('\r');

  /** Index of the first {@code \n} or {@code \r} in {@code data[from, to)}, or {@code to}. */
  static int indexOfEol(byte[] data, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = load(data, i);
      long z = zeros(w ^ LF) | zeros(w ^ CR);
      if (z != 0) {
        return i + (Long.numberOfTrailingZeros(z) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (data[i] == '\n' || data[i] == '\r') {
        return i;
      }
    }
    return to;
  }

  /** Index of the first zero byte in {@code data[from, to)}, or {@code to}. */
  static int indexOfZero(byte[] data, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long z = zeros(load(data, i));
      if (z != 0) {
        return i + (Long.numberOfTrailingZeros(z) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (data[i] == 0) {
        return i;
      }
    }
    return to;
  }
}
