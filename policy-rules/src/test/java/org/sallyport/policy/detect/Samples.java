package org.sallyport.policy.detect;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Attack and benign material for the detector tests, built from real encoders and tools. */
final class Samples {
  private Samples() {}

  /** An attack sample and the rule the chain must report for it. */
  record Sample(String name, String expectedRule, byte[] bytes) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String[] BENIGN_FILES = {
    "compiler-noise.txt", "dmesg.txt", "git-log.txt", "ifconfig.txt", "ipcam.conf", "ls-la.txt",
    "md5sum.txt", "ps-aux.txt", "syslog.txt", "tokens.txt"
  };

  private static List<Sample> all;
  private static byte[] benign;

  static synchronized byte[] benignCorpus() {
    if (benign == null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (String f : BENIGN_FILES) {
        out.writeBytes(resource("corpus/benign/" + f));
      }
      benign = out.toByteArray();
    }
    return benign;
  }

  static byte[] resource(String name) {
    try (InputStream in = Samples.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage face() {
    Random r = new Random(184_000);
    BufferedImage img = new BufferedImage(24, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.setRGB(x, y, r.nextInt(0xFFFFFF));
      }
    }
    return img;
  }

  static byte[] image(String format) {
    try {
      BufferedImage src = face();
      if (format.equals("gif")) { // GIF writer wants an indexed image
        BufferedImage g = new BufferedImage(24, 32, BufferedImage.TYPE_BYTE_INDEXED);
        g.getGraphics().drawImage(src, 0, 0, null);
        src = g;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(src, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] mp4() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(HexFormat.of().parseHex("00000020667479706973366d00000200"));
    out.writeBytes("isomiso2avc1mp41".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(HexFormat.of().parseHex("00000008667265650000123c6d646174"));
    out.write(image("jpg"), 20, 200); // stand-in for coded video
    return out.toByteArray();
  }

  static byte[] h264() {
    HexFormat h = HexFormat.of();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.parseHex("0000000167640028acd940780227e5c04400000fa40002ee03c60c6580"));
    out.writeBytes(h.parseHex("0000000168ebe3cb22c0"));
    out.writeBytes(h.parseHex("00000106051a47564adc5c4c433f94efc5113cd143a801ffccccff020004"));
    out.writeBytes(h.parseHex("0000000165888404bd3f8d3a8b2c7dde1122334455667788"));
    return out.toByteArray();
  }

  static byte[] h265() {
    HexFormat h = HexFormat.of();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.parseHex("0000000140010c01ffff016000000300b0000003000003005d"));
    out.writeBytes(h.parseHex("0000000142010101600000030090000003000003005da0"));
    out.writeBytes(h.parseHex("000000014401c172b46240"));
    out.writeBytes(h.parseHex("00000001260101af0812345678"));
    return out.toByteArray();
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] zip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("faces/000001.jpg"));
      z.write(data);
      z.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A POSIX ustar archive with one member, as GNU tar --format=ustar writes it. */
  static byte[] tar(byte[] data, boolean gnu) {
    byte[] hdr = new byte[512];
    put(hdr, 0, "faces/000001.jpg");
    put(hdr, 100, "0000644\0");
    put(hdr, 108, "0001750\0");
    put(hdr, 116, "0001750\0");
    put(hdr, 124, String.format("%011o\0", data.length));
    put(hdr, 136, "14567623045\0");
    put(hdr, 148, "        ");
    hdr[156] = '0';
    put(hdr, 257, gnu ? "ustar  \0" : "ustar\00000");
    put(hdr, 265, "maint");
    put(hdr, 297, "maint");
    int sum = 0;
    for (byte b : hdr) {
      sum += b & 0xFF;
    }
    put(hdr, 148, String.format("%06o\0 ", sum));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(hdr);
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512 + 1024]);
    return out.toByteArray();
  }

  private static void put(byte[] a, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(b, 0, a, at, b.length);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] mime(byte[] data) {
    return Base64.getMimeEncoder().encode(data);
  }

  /** Like GNU base64: 76 columns, LF, final LF. */
  static byte[] base64Tool(byte[] data) {
    String s = Base64.getEncoder().encodeToString(data);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i += 76) {
      sb.append(s, i, Math.min(s.length(), i + 76)).append('\n');
    }
    return ascii(sb.toString());
  }

  /** Runs a dump tool on {@code data} if installed, else renders it the same way in Java. */
  static byte[] tool(byte[] data, String... cmd) {
    Path exe = Path.of("/usr/bin", cmd[0]);
    if (!Files.isExecutable(exe)) {
      return JavaDumps.render(data, cmd);
    }
    try {
      Path tmp = Files.createTempFile("sample", ".bin");
      try {
        Files.write(tmp, data);
        List<String> args = new ArrayList<>(List.of(cmd));
        args.add(tmp.toString());
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out));
        }
        return toTerminal(out);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What a PTY with onlcr sends: LF becomes CRLF. */
  static byte[] toTerminal(byte[] out) {
    return ascii(new String(out, StandardCharsets.ISO_8859_1).replace("\n", "\r\n"));
  }

  static byte[] uuencode(byte[] data, String name) {
    StringBuilder sb = new StringBuilder("begin 644 ").append(name).append('\n');
    for (int i = 0; i < data.length; i += 45) {
      int n = Math.min(45, data.length - i);
      sb.append((char) (n == 0 ? '`' : n + 32));
      for (int j = 0; j < n; j += 3) {
        int b0 = data[i + j] & 0xFF;
        int b1 = j + 1 < n ? data[i + j + 1] & 0xFF : 0;
        int b2 = j + 2 < n ? data[i + j + 2] & 0xFF : 0;
        int[] c = {b0 >> 2, ((b0 & 3) << 4) | (b1 >> 4), ((b1 & 15) << 2) | (b2 >> 6), b2 & 63};
        for (int v : c) {
          sb.append((char) (v == 0 ? '`' : v + 32));
        }
      }
      sb.append('\n');
    }
    sb.append("`\nend\n");
    return ascii(sb.toString());
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static synchronized List<Sample> attacks() {
    if (all != null) {
      return all;
    }
    byte[] jpeg = image("jpg");
    byte[] png = image("png");
    Map<String, byte[]> raw = new LinkedHashMap<>();
    raw.put("image.jpeg", jpeg);
    raw.put("image.png", png);
    raw.put("image.gif", image("gif"));
    raw.put("image.bmp", image("bmp"));
    raw.put("image.tiff", image("tiff"));
    raw.put("video.mp4", mp4());
    raw.put("archive.gzip", gzip(jpeg));
    raw.put("archive.zip", zip(jpeg));
    List<Sample> s = new ArrayList<>();
    raw.forEach((rule, bytes) -> {
      s.add(new Sample(rule + "/raw", rule, bytes));
      s.add(new Sample(rule + "/base64", "base64." + rule, base64Tool(bytes)));
      s.add(new Sample(rule + "/mime", "base64." + rule, mime(bytes)));
      s.add(new Sample(rule + "/base64-shifted", "base64." + rule,
          concat(ascii("x"), Base64.getEncoder().encode(concat(new byte[] {7}, bytes)))));
      s.add(new Sample(rule + "/xxd", "hexdump." + rule, tool(bytes, "xxd")));
    });
    s.add(new Sample("archive.tar/posix", "archive.tar", tar(jpeg, false)));
    s.add(new Sample("archive.tar/gnu", "archive.tar", tar(jpeg, true)));
    s.add(new Sample("archive.tar/base64", "base64.archive.tar", base64Tool(tar(jpeg, false))));
    s.add(new Sample("image.jpeg/data-uri", "base64.image.jpeg",
        concat(ascii("<img src=\"data:image/jpeg;base64,"), Base64.getEncoder().encode(jpeg),
            ascii("\">"))));
    s.add(new Sample("image.jpeg/json", "base64.image.jpeg",
        concat(ascii("{\"face\":\""), Base64.getEncoder().encode(jpeg), ascii("\"}"))));
    s.add(new Sample("image.png/urlsafe", "base64.image.png", Base64.getUrlEncoder().encode(png)));
    s.add(new Sample("image.jpeg/xxd-p", "hexdump.image.jpeg", tool(jpeg, "xxd", "-p")));
    s.add(new Sample("image.jpeg/xxd-i", "hexdump.image.jpeg", tool(jpeg, "xxd", "-i")));
    s.add(new Sample("image.jpeg/od-x1", "hexdump.image.jpeg", tool(jpeg, "od", "-A", "x", "-t", "x1z")));
    s.add(new Sample("image.jpeg/od-An", "hexdump.image.jpeg", tool(jpeg, "od", "-An", "-t", "x1")));
    s.add(new Sample("image.jpeg/od-x", "hexdump.image.jpeg", tool(jpeg, "od", "-x")));
    s.add(new Sample("image.png/hexdump-C", "hexdump.image.png", tool(png, "hexdump", "-C")));
    s.add(new Sample("image.jpeg/hexdump-C", "hexdump.image.jpeg", tool(jpeg, "hexdump", "-C")));
    s.add(new Sample("image.jpeg/hexdump", "hexdump.image.jpeg", tool(jpeg, "hexdump")));
    s.add(new Sample("image.jpeg/uuencode", "uuencode", uuencode(jpeg, "face0001.jpg")));
    s.add(new Sample("image.jpeg/uuencode-m", "uuencode",
        concat(ascii("begin-base64 644 face0001.jpg\n"), base64Tool(concat(new byte[] {1, 2}, jpeg)),
            ascii("====\n"))));
    s.add(new Sample("video.annexb/h264", "video.annexb", h264()));
    s.add(new Sample("video.annexb/h265", "video.annexb", h265()));
    s.add(new Sample("video.mjpeg/header", "video.mjpeg", ascii(
        "HTTP/1.1 200 OK\r\nServer: cam07\r\nContent-Type: multipart/x-mixed-replace;"
            + " boundary=myboundary\r\n\r\n")));
    s.add(new Sample("video.mjpeg/part", "video.mjpeg", ascii(
        "\r\n--myboundary\r\nCONTENT-TYPE:image/JPEG\r\nContent-Length: 20311\r\n\r\n")));
    all = List.copyOf(s);
    return all;
  }
}
