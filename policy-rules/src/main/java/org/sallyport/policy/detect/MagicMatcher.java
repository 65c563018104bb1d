package org.sallyport.policy.detect;

/**
 * Recognises binary file signatures anywhere in a byte sequence, one byte at a time.
 *
 * <p>Used on the raw stream and on byte streams reconstructed from hex dumps. Each signature has
 * a <em>completing pair</em> (its last two bytes); a 64 KiB table indexed by the last two bytes
 * sends only those rare positions to a look-back check, so ordinary text costs one table load per
 * byte. The look-back uses a 512-byte ring, enough for the tar magic at offset 257 of a header.
 */
final class MagicMatcher {
  static final int NONE = 0;
  static final int JPEG = 1;
  static final int PNG = 2;
  static final int GIF = 3;
  static final int BMP = 4;
  static final int TIFF_LE = 5;
  static final int TIFF_BE = 6;
  static final int MP4 = 7;
  static final int GZIP = 8;
  static final int ZIP = 9;
  static final int TAR_POSIX = 10;
  static final int TAR_GNU = 11;

  private static final String[] RULES = {
    null, "image.jpeg", "image.png", "image.gif", "image.bmp", "image.tiff", "image.tiff",
    "video.mp4", "archive.gzip", "archive.zip", "archive.tar", "archive.tar"
  };
  private static final String[] REASONS = {
    null,
    "JPEG start of image (FF D8 FF + marker)",
    "PNG signature (89 'PNG' 0D 0A 1A 0A)",
    "GIF signature (GIF87a/GIF89a)",
    "BMP file header (BM, sane size, offset and DIB header size)",
    "TIFF little-endian header (II*\\0)",
    "TIFF big-endian header (MM\\0*)",
    "ISO BMFF 'ftyp' box (MP4/MOV/HEIF) with plausible size",
    "gzip member header (1F 8B 08)",
    "zip local file header (PK 03 04)",
    "POSIX tar header (ustar\\0 at offset 257, octal mode and checksum)",
    "GNU tar header (ustar  \\0 at offset 257, octal mode and checksum)"
  };

  private static final byte[] TRIGGER = new byte[1 << 16];

  static {
    for (int b = 0xC0; b <= 0xFE; b++) {
      TRIGGER[0xFF00 | b] = JPEG;
    }
    TRIGGER[0x1A0A] = PNG;
    TRIGGER[('7' << 8) | 'a'] = GIF;
    TRIGGER[('9' << 8) | 'a'] = GIF;
    TRIGGER[0x0000] = BMP; // last two bytes of the DIB header size (< 64 KiB)
    TRIGGER[0x2A00] = TIFF_LE;
    TRIGGER[0x002A] = TIFF_BE;
    TRIGGER[('y' << 8) | 'p'] = MP4;
    for (int flg = 0; flg < 0x20; flg++) {
      TRIGGER[0x0800 | flg] = GZIP; // FLG with reserved bits 5-7 clear
    }
    TRIGGER[0x0304] = ZIP;
    TRIGGER['r' << 8] = TAR_POSIX;
    TRIGGER[' ' << 8] = TAR_GNU;
  }

  private static final int SIZE = 512;
  private static final int MASK = SIZE - 1;
  private static final int[] DIB_SIZES = {12, 40, 52, 56, 64, 108, 124};

  private final byte[] ring = new byte[SIZE];
  private int pos;
  private long count;
  private int pair;

  static String rule(int code) {
    return RULES[code];
  }

  static String reason(int code) {
    return REASONS[code];
  }

  /**
   * Bulk form of {@link #push} over {@code data[from, to)}: the same result as pushing each byte,
   * but ordinary bytes cost one pair-table load (no ring write); the look-back reads the chunk
   * itself and falls back to the ring only for bytes of earlier chunks, which is refilled once at
   * the end.
   *
   * @return index of the byte completing a signature (its code via {@link #found()}), or -1
   */
  int scan(byte[] data, int from, int to) {
    int p = pair;
    final byte[] trig = TRIGGER;
    for (int i = from; i < to; i++) {
      p = ((p << 8) | (data[i] & 0xFF)) & 0xFFFF;
      int t = trig[p];
      // Fast reject of the BMP trigger (any 00 00 pair, so every byte of a run of zeros): confirm()
      // would fail on the same test, 'B' 17 bytes back; decided here without the call when that
      // byte is in this chunk. Zero-filled output ran the guard at 111 MB per CPU-second before.
      if (t == BMP && i - 17 >= from && data[i - 17] != 'B') {
        continue;
      }
      if (t != 0) {
        chunk = data;
        chunkFrom = from;
        chunkAt = i;
        long base = count;
        count = base + (i - from + 1);
        int code = confirm(t);
        count = base;
        chunk = null;
        if (code != NONE) {
          found = code;
          append(data, from, i + 1);
          pair = p;
          return i;
        }
      }
    }
    pair = p;
    append(data, from, to);
    return -1;
  }

  int found() {
    return found;
  }

  private int found;
  /** During {@link #scan}: the chunk, its first index, and the index of the latest byte. */
  private byte[] chunk;
  private int chunkFrom;
  private int chunkAt;

  /** Appends {@code data[from, to)} to the ring (only the last {@value #SIZE} bytes matter). */
  private void append(byte[] data, int from, int to) {
    int n = to - from;
    count += n;
    int start = Math.max(from, to - SIZE);
    for (int i = start; i < to; i++) {
      ring[pos & MASK] = data[i];
      pos++;
    }
  }

  /** Appends one byte; returns the code of the signature it completes, or {@link #NONE}. */
  int push(int b) {
    ring[pos & MASK] = (byte) b;
    pos++;
    count++;
    pair = ((pair << 8) | b) & 0xFFFF;
    int t = TRIGGER[pair];
    return t == 0 ? NONE : confirm(t);
  }

  void reset() {
    chunk = null;
    found = NONE;
    java.util.Arrays.fill(ring, (byte) 0);
    pos = 0;
    count = 0;
    pair = 0;
  }

  /** Byte {@code back} positions before the latest one (0 = the latest). */
  private int at(int back) {
    if (chunk != null) {
      int i = chunkAt - back;
      if (i >= chunkFrom) {
        return chunk[i] & 0xFF;
      }
      return ring[(pos - 1 - (back - (chunkAt - chunkFrom + 1))) & MASK] & 0xFF;
    }
    return ring[(pos - 1 - back) & MASK] & 0xFF;
  }

  private int confirm(int t) {
    boolean ok =
        switch (t) {
          case JPEG -> count >= 4 && at(2) == 0xD8 && at(3) == 0xFF;
          case PNG ->
              count >= 8 && at(2) == 0x0A && at(3) == 0x0D && at(4) == 'G' && at(5) == 'N'
                  && at(6) == 'P' && at(7) == 0x89;
          case GIF -> count >= 6 && at(2) == '8' && at(3) == 'F' && at(4) == 'I' && at(5) == 'G';
          case BMP -> count >= 18 && at(17) == 'B' && at(16) == 'M' && bmpHeaderOk();
          case TIFF_LE -> count >= 4 && at(2) == 'I' && at(3) == 'I';
          case TIFF_BE -> count >= 4 && at(2) == 'M' && at(3) == 'M';
          case MP4 -> count >= 8 && at(2) == 't' && at(3) == 'f' && ftypSizeOk();
          case GZIP -> count >= 4 && at(2) == 0x8B && at(3) == 0x1F;
          case ZIP -> count >= 4 && at(2) == 'K' && at(3) == 'P';
          case TAR_POSIX ->
              count >= 263 && at(2) == 'a' && at(3) == 't' && at(4) == 's' && at(5) == 'u'
                  && tarHeaderOk(262);
          case TAR_GNU ->
              count >= 265 && at(2) == ' ' && at(3) == 'r' && at(4) == 'a' && at(5) == 't'
                  && at(6) == 's' && at(7) == 'u' && tarHeaderOk(264);
          default -> false;
        };
    return ok ? t : NONE;
  }

  private boolean ftypSizeOk() {
    long size = ((long) at(7) << 24) | (at(6) << 16) | (at(5) << 8) | at(4);
    return size >= 16 && size <= 4096 && (size & 3) == 0;
  }

  /** The latest byte is header byte 17 (last byte of the DIB header size). */
  private boolean bmpHeaderOk() {
    long size = le32(2);
    if (le32(6) != 0) {
      return false; // reserved
    }
    long dataOffset = le32(10);
    long dib = le32(14);
    boolean knownDib = false;
    for (int d : DIB_SIZES) {
      knownDib |= dib == d;
    }
    // Pixel data follows the headers, an optional palette (<= 256 entries) and colour masks.
    return knownDib
        && dataOffset >= 14 + dib
        && dataOffset <= 14 + dib + 1024 + 16
        && size >= dataOffset;
  }

  private long le32(int headerIndex) {
    int back = 17 - headerIndex;
    return ((long) at(back - 3) << 24) | (at(back - 2) << 16) | (at(back - 1) << 8) | at(back);
  }

  /** Header byte i is at(startBack - i); checks the octal mode and checksum fields. */
  private boolean tarHeaderOk(int startBack) {
    return at(startBack) != 0
        && octalField(startBack, 100, 8)
        && octalField(startBack, 148, 8);
  }

  private boolean octalField(int startBack, int from, int len) {
    boolean digit = false;
    for (int i = from; i < from + len; i++) {
      int c = at(startBack - i);
      if (c >= '0' && c <= '7') {
        digit = true;
      } else if (c != ' ' && c != 0) {
        return false;
      }
    }
    return digit;
  }
}
