package io.jipc.hardening;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A hostile (or merely rude) peer: a plain JDK {@link SocketChannel} on a Unix socket that writes
 * whatever bytes a test gives it, with no jipc code in between. When asked to read, a daemon thread
 * collects everything the server sends and notices end of stream (or a reset) — the only way a raw
 * peer learns that the server closed it. A peer made with {@code reading=false} never reads at all,
 * so the server's writes pile up (backpressure tests).
 */
final class RawPeer implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private volatile Thread reader;
    private boolean closedByPeer;
    private String closeReason;

    private RawPeer(SocketChannel channel, boolean reading) {
        this.channel = channel;
        if (reading) {
            reader = new Thread(this::readLoop, "raw-peer-reader");
            reader.setDaemon(true);
            reader.start();
        } else {
            reader = null;
        }
    }

    /** Connects to the Unix socket at {@code path}; {@code reading} starts the reader thread. */
    static RawPeer connect(Path path, boolean reading) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
            return new RawPeer(ch, reading);
        } catch (IOException e) {
            throw new UncheckedIOException("raw peer cannot connect to " + path, e);
        }
    }

    /** Starts reading now (for a peer created with {@code reading=false}); returns the reader. */
    RawPeer startReading() {
        if (reader != null) {
            throw new IllegalStateException("already reading");
        }
        Thread t = new Thread(this::readLoop, "raw-peer-late-reader");
        t.setDaemon(true);
        reader = t;
        t.start();
        return this;
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (true) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    markClosed("end of stream");
                    return;
                }
                synchronized (this) {
                    received.write(buf.array(), 0, n);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // a reset (the server closed with our bytes unread) or our own close()
            markClosed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private synchronized void markClosed(String why) {
        closedByPeer = true;
        closeReason = why;
        notifyAll();
    }

    /** Writes all of {@code bytes} (blocking). */
    void send(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("raw peer write failed", e);
        }
    }

    /** Writes a UTF-8 string. */
    void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code bytes} one byte per write call, pausing {@code pauseMillis} between writes so that
     * the kernel hands the server (almost always) one byte per read. The pause is pacing, not waiting
     * for an outcome: correctness never depends on it. Pacing stops after 100 ms in all, so that a slow
     * machine never stretches the frame towards a server's messageTimeout.
     */
    void sendByteByByte(byte[] bytes, long pauseMillis) throws InterruptedException {
        long pacingEnds = System.nanoTime() + 100_000_000L;
        for (byte b : bytes) {
            send(new byte[] {b});
            if (pauseMillis > 0 && System.nanoTime() < pacingEnds) {
                Thread.sleep(pauseMillis);
            }
        }
    }

    /** For a peer that is not reading: reads exactly {@code n} bytes now (blocking) and discards them. */
    void readExactly(long n) {
        if (reader != null) {
            throw new IllegalStateException("a reader thread owns this channel");
        }
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long left = n;
        try {
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int r = channel.read(buf);
                if (r < 0) {
                    throw new IOException("end of stream after " + (n - left) + " of " + n + " bytes");
                }
                left -= r;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("raw peer read failed", e);
        }
    }

    /** Waits until the server closed this connection; false if it is still open after {@code timeout}. */
    synchronized boolean awaitClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closedByPeer) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** @return whether end of stream (or a reset) was seen so far */
    synchronized boolean closedByPeer() {
        return closedByPeer;
    }

    /** @return why the reader stopped, or null */
    synchronized String closeReason() {
        return closeReason;
    }

    /** Waits until at least {@code n} bytes arrived; false on timeout or when the server closed first. */
    synchronized boolean awaitBytes(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closedByPeer) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits until the text received so far contains {@code needle}; false on timeout or close without it. */
    synchronized boolean awaitText(String needle, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!received.toString(StandardCharsets.UTF_8).contains(needle)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closedByPeer) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** @return the frames received so far (text between form feeds; a trailing partial frame is left out) */
    synchronized List<String> frames() {
        String all = received.toString(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = all.indexOf('\f'); i >= 0; i = all.indexOf('\f', from)) {
            out.add(all.substring(from, i));
            from = i + 1;
        }
        return out;
    }

    /** @return how many bytes arrived */
    synchronized long receivedBytes() {
        return received.size();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket we own: nothing useful to do on failure
        }
        Thread r = reader;
        if (r != null) {
            try {
                r.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
