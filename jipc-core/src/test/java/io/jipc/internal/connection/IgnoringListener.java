package io.jipc.internal.connection;

import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.WireMessage;
import io.netty.buffer.ByteBuf;

/** A {@link ConnectionListener} that ignores everything, for tests that look at the channel, not at the events. */
final class IgnoringListener implements ConnectionListener {
    static final IgnoringListener INSTANCE = new IgnoringListener();

    private IgnoringListener() {
    }

    @Override
    public void connected(Connection connection) {
    }

    @Override
    public void message(Connection connection, WireMessage message) {
    }

    @Override
    public void raw(Connection connection, ByteBuf bytes) {
    }

    @Override
    public void failure(Connection connection, DecodeFailure failure) {
    }

    @Override
    public void error(Connection connection, Throwable cause) {
    }

    @Override
    public void disconnected(Connection connection) {
    }
}
