package org.sallyport.broker.httpproxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.ZlibWrapper;
import java.util.Locale;

/**
 * Removes a response's content-coding so that the guard sees the bytes the browser would render (a gzip-encoded
 * JPEG is a JPEG). Streaming, with Netty's zlib decoder; the decoded bytes go only to the inspection, never to the
 * browser, which receives the encoded body as the device sent it.
 *
 * <p>Restrictions: identity, gzip/x-gzip and deflate only; {@link #forEncoding} returns null for anything else
 * (brotli, zstd, stacked codings), which the proxy blocks as uninspectable. The request's Accept-Encoding is
 * rewritten to what this class decodes, so a well-behaved device never sends anything else.
 */
final class BodyDecoder {
    /** Decoded bytes; a sink returns false to stop decoding (a verdict was reached). */
    interface Sink {
        boolean accept(byte[] data, int off, int len);
    }

    private final EmbeddedChannel channel;

    private BodyDecoder(EmbeddedChannel channel) {
        this.channel = channel;
    }

    /** A decoder for a Content-Encoding value (null header: identity), or null when it cannot be decoded. */
    static BodyDecoder forEncoding(String contentEncoding) {
        String e = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "", "identity" -> new BodyDecoder(null);
            case "gzip", "x-gzip" -> new BodyDecoder(new EmbeddedChannel(new JdkZlibDecoder(ZlibWrapper.GZIP, 0)));
            case "deflate" -> new BodyDecoder(new EmbeddedChannel(new JdkZlibDecoder(ZlibWrapper.ZLIB_OR_NONE, 0)));
            default -> null;
        };
    }

    /** Feeds encoded bytes; decoded ones go to {@code sink}. Throws on corrupt input (the proxy then blocks). */
    void feed(byte[] data, int off, int len, Sink sink) {
        if (channel == null) {
            sink.accept(data, off, len);
            return;
        }
        channel.writeInbound(Unpooled.wrappedBuffer(data, off, len));
        drain(sink);
    }

    void finish(Sink sink) {
        if (channel == null) return;
        channel.finish();
        drain(sink);
    }

    private void drain(Sink sink) {
        ByteBuf b;
        boolean go = true;
        while ((b = channel.readInbound()) != null) {
            try {
                if (go) {
                    byte[] out = new byte[b.readableBytes()];
                    b.readBytes(out);
                    go = sink.accept(out, 0, out.length);
                }
            } finally {
                b.release();
            }
        }
    }

    void close() {
        if (channel != null) channel.finishAndReleaseAll();
    }
}
