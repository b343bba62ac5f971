package io.jipc.internal.buffer;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The read-only {@link ByteBuffer} that raw-buffer handlers borrow. The received bytes are copied
 * into a scratch array of the current thread (an I/O thread) and shown through one read-only view made
 * when that array grows; so once warm, delivering a read allocates nothing, and no handler can see or
 * change Netty's pooled memory. The copy is an intrinsic memory copy, much cheaper than the allocation
 * it replaces.
 *
 * <p>One per thread: handlers run on the I/O thread and may not keep the view, so the next read on that
 * thread may reuse it. A nested delivery on the same thread (or a read above {@link #MAX_SCRATCH}) gets a
 * one-off copy. Not thread-safe; use with try-with-resources on the delivering thread.
 */
public final class BorrowedView implements AutoCloseable {
    /** Scratch arrays grow up to this (a thread keeps at most this much); larger reads get a one-off copy. */
    public static final int MAX_SCRATCH = 1 << 20;
    private static final int MIN_SCRATCH = 4096;
    private static final FastThreadLocal<BorrowedView> OF_THREAD = new FastThreadLocal<>() {
        @Override
        protected BorrowedView initialValue() {
            return new BorrowedView();
        }
    };

    private byte[] scratch = new byte[0];
    private ByteBuffer view = ByteBuffer.wrap(scratch).asReadOnlyBuffer();
    private int length;
    private boolean lent;

    private BorrowedView() {
    }

    /** @return a view of {@code buf}'s readable bytes (its indexes are not moved); close it after the handlers ran */
    public static BorrowedView of(ByteBuf buf) {
        int n = buf.readableBytes();
        BorrowedView v = lend(n);
        buf.getBytes(buf.readerIndex(), v.scratch, 0, n);
        return v;
    }

    /** @return a view of a copy of {@code bytes}; close it after the handlers ran */
    public static BorrowedView of(byte[] bytes) {
        BorrowedView v = lend(bytes.length);
        System.arraycopy(bytes, 0, v.scratch, 0, bytes.length);
        return v;
    }

    private static BorrowedView lend(int n) {
        BorrowedView mine = OF_THREAD.get();
        BorrowedView v = mine.lent || n > MAX_SCRATCH ? new BorrowedView() : mine;
        v.ensure(n);
        v.length = n;
        v.lent = true;
        return v;
    }

    private void ensure(int n) {
        if (scratch.length < n) {
            int size = n > MAX_SCRATCH ? n : Math.min(MAX_SCRATCH, Math.max(MIN_SCRATCH, Integer.highestOneBit(n - 1) << 1));
            scratch = new byte[size];
            view = ByteBuffer.wrap(scratch).asReadOnlyBuffer();
        }
    }

    /**
     * @return the view, reset for the next handler: position 0, limit = the number of bytes received,
     *         big-endian (whatever the previous handler did to it)
     */
    public ByteBuffer view() {
        view.order(ByteOrder.BIG_ENDIAN).limit(length).position(0);
        return view;
    }

    /** Hands the view back: the next delivery on this thread may overwrite it. */
    @Override
    public void close() {
        lent = false;
    }
}
