package io.jipc.internal.server;

import io.jipc.internal.connection.Connection;
import io.netty.buffer.ByteBuf;
import java.net.SocketAddress;
import java.util.List;

/**
 * What a server needs from its transport, stream ({@link ServerEngine}) or datagram. {@link #start()}
 * and {@link #stop()} are synchronised; everything else is safe from any thread.
 */
public interface ServerTransport {
    /** @return where it listens, for messages */
    String describe();

    /** Binds; returns once listening. @throws IllegalStateException naming the address and cause */
    void start();

    /** Stops listening and drops every peer. Idempotent. */
    void stop();

    /** @return whether listening */
    boolean isListening();

    /** @return the bound address, or null when not listening */
    SocketAddress localAddress();

    /** @return the connected peers, oldest first (a snapshot) */
    List<Connection> connections();

    /** Sends one encoded frame to every peer; takes ownership of {@code frame}. */
    void broadcast(ByteBuf frame);
}
