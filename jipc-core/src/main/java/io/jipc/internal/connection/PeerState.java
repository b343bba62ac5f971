package io.jipc.internal.connection;

/**
 * The bookkeeping every {@link Connection} kind shares: its sequence number, the id the peer
 * announced, and the owner's attachment. Thread-safe (volatile fields).
 */
public abstract class PeerState implements Connection {
    private final long sequence = Sequences.next();
    private volatile String peerId;
    private volatile Object attachment;

    @Override
    public final long sequence() {
        return sequence;
    }

    @Override
    public final String peerId() {
        return peerId;
    }

    @Override
    public final void peerId(String id) {
        this.peerId = id;
    }

    @Override
    public final Object attachment() {
        return attachment;
    }

    @Override
    public final void attachment(Object value) {
        this.attachment = value;
    }
}
