package org.sallyport.broker.http;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A blocking {@link OutputStream} over a chunked {@link HttpServerResponse}, for a producer on a virtual thread: each
 * write hops onto the response's context and waits while the write queue is full (backpressure), so memory stays
 * bounded however slow the client. A client that goes away makes the next write throw.
 *
 * <p>Not thread-safe: one producer thread. Wrap it in a {@link java.io.BufferedOutputStream}.
 */
final class ResponseOutputStream extends OutputStream {
    private final Context context;
    private final HttpServerResponse response;
    private volatile boolean gone;
    private volatile CompletableFuture<Void> waiting;
    private long written;

    ResponseOutputStream(Context context, HttpServerResponse response) {
        this.context = context;
        this.response = response;
        context.runOnContext(v -> response.closeHandler(x -> {
            gone = true;
            CompletableFuture<Void> w = waiting;
            if (w != null) w.completeExceptionally(new IOException("the client closed the connection"));
        }));
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) return;
        if (gone) throw new IOException("the client closed the connection");
        Buffer buf = Buffer.buffer(Arrays.copyOfRange(b, off, off + len));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        waiting = ready;
        context.runOnContext(v -> {
            if (gone) {
                ready.completeExceptionally(new IOException("the client closed the connection"));
                return;
            }
            response.write(buf);
            if (response.writeQueueFull()) response.drainHandler(x -> ready.complete(null));
            else ready.complete(null);
        });
        await(ready);
        written += len;
    }

    long written() {
        return written;
    }

    /** Ends the response normally. */
    @Override
    public void close() throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            if (gone) done.completeExceptionally(new IOException("the client closed the connection"));
            else response.end().onComplete(ar -> done.complete(null));
        });
        await(done);
    }

    /** Aborts: the client sees a cut connection, never a response that looks complete. */
    void abort() {
        context.runOnContext(v -> {
            if (!response.ended()) response.reset();
        });
    }

    private static void await(CompletableFuture<Void> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while streaming");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
