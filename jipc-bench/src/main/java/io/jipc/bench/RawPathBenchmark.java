package io.jipc.bench;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Allocation of the raw-mode paths over a real connection (run with {@code -prof gc} and read
 * {@code gc.alloc.rate.norm}: bytes allocated per message by every thread of the JVM, so jipc's I/O threads
 * included).
 * <ul>
 *   <li>{@link #send}: one {@code IpcClient.emit} per op from the benchmark thread (not a Netty thread, as in
 *       an application) to a plain JDK socket that reads and discards, so only jipc's send path allocates;
 *       it waits while the client is not writable (more than 1 MiB queued, as the flood bench's window).
 *       {@code api=bytes} is {@code emit(byte[])}, {@code api=buffer} {@code emit(ByteBuffer)}. Each emit
 *       returns its write batch's completion stage, one object per batch (not per message).</li>
 *   <li>{@link #offer}: the same with {@code IpcClient.offer}, which returns no completion stage.</li>
 *   <li>{@link #receive}: one {@code size}-byte write per op from a plain blocking JDK socket (a direct buffer,
 *       so it allocates nothing) to a raw {@code IpcServer}, so only jipc's receive path allocates.
 *       {@code api=bytes} counts in an {@code onData} handler, {@code api=buffer} in {@code onRawBuffer}.</li>
 * </ul>
 * {@code -p transport=tcp} runs over loopback TCP instead of a Unix socket. Example:
 * {@code java -jar benchmarks.jar RawPathBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// 1 GiB: at 512 MiB or less Netty 4.2's allocator switches to its low-memory mode (no thread-local magazines)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RawPathBenchmark {
    /** Shared setup: one raw Ipc with a client or a server, and the plain JDK peer on the other end. */
    @State(Scope.Benchmark)
    public static class Link {
        @Param({"100", "16384"})
        public int size;

        @Param({"bytes", "buffer"})
        public String api;

        @Param({"unix"})
        public String transport;

        Path dir;
        Ipc ipc;
        ServerSocketChannel listener;
        SocketChannel peer;
        Thread sink;
        volatile boolean closing;

        void startIpc() throws IOException {
            dir = Files.createTempDirectory("jipc-rawpath");
            // a 1 MiB bound on queued bytes, as the flood bench's window: emits wait for writability beyond it
            ipc = new Ipc(IpcConfig.builder().id("rawpath").socketRoot(dir + "/").silent(true).rawBuffer(true)
                .maxPendingBytes(1 << 20).build());
        }

        boolean unix() {
            return transport.equals("unix");
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            closing = true;
            if (peer != null) {
                peer.close();
            }
            if (listener != null) {
                listener.close();
            }
            if (ipc != null) {
                ipc.close();
            }
            if (sink != null) {
                sink.interrupt();
            }
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    /** A jipc client emitting to a JDK socket that reads and discards everything. */
    @State(Scope.Benchmark)
    public static class Sender extends Link {
        IpcClient client;
        byte[] bytes;
        ByteBuffer buffer;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            startIpc();
            bytes = Peers.frame(size);
            buffer = ByteBuffer.wrap(bytes);
            SocketAddress at;
            if (unix()) {
                at = UnixDomainSocketAddress.of(dir.resolve("sink.sock"));
                listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(at);
            } else {
                listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                at = listener.getLocalAddress();
            }
            sink = new Thread(this::drainPeer, "rawpath-sink");
            sink.setDaemon(true);
            sink.start();
            CountDownLatch up = new CountDownLatch(1);
            client = unix()
                ? ipc.connectTo("sink", dir.resolve("sink.sock").toString(), c -> c.onConnect(up::countDown))
                : ipc.connectToNet("sink", "127.0.0.1", ((InetSocketAddress) at).getPort(), c -> c.onConnect(up::countDown));
            if (!up.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no connection to the sink");
            }
        }

        private void drainPeer() {
            ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
            try (SocketChannel ch = listener.accept()) {
                while (!closing && ch.read(in.clear()) >= 0) {
                    // discard
                }
            } catch (IOException e) {
                // closed at teardown
            }
        }
    }

    /** A raw jipc server fed by a blocking JDK socket. */
    @State(Scope.Benchmark)
    public static class Receiver extends Link {
        IpcServer server;
        ByteBuffer out;
        /** Bytes the handler saw (I/O thread only; read at teardown). */
        volatile long seen;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            startIpc();
            server = unix() ? ipc.serve(dir.resolve("srv.sock").toString()) : ipc.serveNet("127.0.0.1", 0);
            if (api.equals("buffer")) {
                server.onRawBuffer((buf, s) -> seen += buf.remaining());
            } else {
                server.onData((b, s) -> seen += b.length);
            }
            server.start();
            SocketAddress at = unix() ? UnixDomainSocketAddress.of(dir.resolve("srv.sock")) : server.localAddress();
            peer = SocketChannel.open(at);
            out = ByteBuffer.allocateDirect(size);
            out.put(Peers.frame(size)).flip();
        }
    }

    @Benchmark
    public void send(Sender s, Blackhole bh) {
        while (!s.client.isWritable()) {
            LockSupport.parkNanos(1_000);
        }
        bh.consume(s.api.equals("buffer") ? s.client.emit(s.buffer) : s.client.emit(s.bytes));
    }

    @Benchmark
    public boolean offer(Sender s) {
        while (!s.client.isWritable()) {
            LockSupport.parkNanos(1_000);
        }
        return s.api.equals("buffer") ? s.client.offer(s.buffer) : s.client.offer(s.bytes);
    }

    @Benchmark
    public int receive(Receiver r) throws IOException {
        ByteBuffer b = r.out;
        b.clear();
        int n = 0;
        while (b.hasRemaining()) {
            n += r.peer.write(b);
        }
        return n;
    }
}
