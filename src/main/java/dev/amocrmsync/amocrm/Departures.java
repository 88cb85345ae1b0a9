package dev.amocrmsync.amocrm;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Tells when a request is written to its socket: the moment amoCRM's count of it starts, give or take the network.
 * Given the request once its connection is chosen (the REST client's request customizer), it waits on that connection's
 * channel for the next flush of written bytes and then runs the callback, on the connection's event loop. An HTTP/1.1
 * connection carries one request at a time, so the next bytes written on it are this request's.
 * <p>
 * Vert.x does not publish the channel of a connection; its {@code ConnectionBase} has it. Where the connection is not
 * one (another Vert.x, HTTP/2), the request counts as written when handed over, which is what the budget assumed
 * before.
 */
final class Departures {

    private static final String HANDLER = "amocrm-sync-departures";
    private static final AttributeKey<Runnable> NEXT = AttributeKey.valueOf("amocrm-sync-next-departure");
    private static final AttributeKey<Runnable> WRITTEN = AttributeKey.valueOf("amocrm-sync-written");
    private static final ChannelHandler FLUSHES = new Flushes();

    private Departures() {
    }

    /** Runs {@code departed} once this request's first bytes have been flushed to the socket. */
    static void watch(HttpClientRequest request, Runnable departed) {
        if (!(request.connection() instanceof ConnectionBase connection)) {
            departed.run();
            return;
        }
        Channel channel = connection.channel();
        Runnable earlier = channel.attr(NEXT).getAndSet(departed);
        if (earlier != null) {
            earlier.run(); // never written (the request before failed on its way): it does not stay on its way forever
        }
        if (channel.pipeline().get(HANDLER) == null) {
            try {
                // first in the pipeline: nearest the socket, after the HTTP and TLS encoders
                channel.pipeline().addFirst(HANDLER, FLUSHES);
            } catch (IllegalArgumentException alreadyThere) {
                // another request of this connection added it a moment ago
            }
        }
    }

    /** Marks the first write after {@link #watch} and calls back once that write is flushed. */
    @ChannelHandler.Sharable
    private static final class Flushes extends ChannelOutboundHandlerAdapter {

        @Override
        public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
            Runnable departed = ctx.channel().attr(NEXT).getAndSet(null);
            if (departed != null) {
                ctx.channel().attr(WRITTEN).set(departed);
            }
            super.write(ctx, message, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) throws Exception {
            super.flush(ctx);
            Runnable departed = ctx.channel().attr(WRITTEN).getAndSet(null);
            if (departed != null) {
                departed.run();
            }
        }
    }
}
