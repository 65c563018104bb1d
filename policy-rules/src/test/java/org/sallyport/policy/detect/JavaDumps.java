package org.sallyport.policy.detect;

import java.nio.charset.StandardCharsets;

/** Fallback renderings, byte-for-byte like xxd and hexdump -C, for hosts without the tools. */
final class JavaDumps {
  private JavaDumps() {}

  static byte[] render(byte[] data, String... cmd) {
    String s;
    if (cmd[0].equals("xxd") && cmd.length > 1 && cmd[1].equals("-p")) {
      s = xxdPlain(data);
    } else if (cmd[0].equals("xxd") && cmd.length == 1) {
      s = xxd(data);
    } else {
      s = hexdumpC(data); // od/hexdump variants: closest widely used rendering
    }
    return Samples.toTerminal(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  static String xxd(byte[] d) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < d.length; i += 16) {
      sb.append(String.format("%08x:", i));
      StringBuilder hex = new StringBuilder();
      for (int j = i; j < i + 16; j++) {
        if ((j - i) % 2 == 0) {
          hex.append(' ');
        }
        hex.append(j < d.length ? String.format("%02x", d[j] & 0xFF) : "  ");
      }
      sb.append(hex).append("  ");
      for (int j = i; j < Math.min(d.length, i + 16); j++) {
        int c = d[j] & 0xFF;
        sb.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static String xxdPlain(byte[] d) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < d.length; i++) {
      sb.append(String.format("%02x", d[i] & 0xFF));
      if (i % 30 == 29 || i == d.length - 1) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  static String hexdumpC(byte[] d) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < d.length; i += 16) {
      sb.append(String.format("%08x  ", i));
      for (int j = i; j < i + 16; j++) {
        sb.append(j < d.length ? String.format("%02x ", d[j] & 0xFF) : "   ");
        if (j - i == 7) {
          sb.append(' ');
        }
      }
      sb.append(" |");
      for (int j = i; j < Math.min(d.length, i + 16); j++) {
        int c = d[j] & 0xFF;
        sb.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
      }
      sb.append("|\n");
    }
    sb.append(String.format("%08x\n", d.length));
    return sb.toString();
  }
}
