package io.jipc.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcException;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import io.jipc.NetType;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * rawBuffer mode through the allocation-free API: {@code emit(ByteBuffer)} / {@code broadcast(ByteBuffer)}
 * copy the caller's remaining bytes and leave its position alone; {@code onRawBuffer} lends each read as a
 * read-only view that is valid during the call only. Over Unix sockets and loopback TCP.
 */
@Timeout(60)
class RawBufferApiTest extends LifecycleTestBase {
    enum Transport { UNIX, TCP }

    /** Collects bytes copied out of borrowed views (or arrays) until {@code expected} have arrived. */
    static final class Sink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int expected;
        final CompletableFuture<byte[]> complete = new CompletableFuture<>();

        Sink(int expected) {
            this.expected = expected;
        }

        synchronized void add(ByteBuffer view) {
            byte[] copy = new byte[view.remaining()];
            view.get(copy);
            add(copy);
        }

        synchronized void add(byte[] array) {
            bytes.writeBytes(array);
            if (bytes.size() >= expected) {
                complete.complete(bytes.toByteArray());
            }
        }

        byte[] await() throws Exception {
            return complete.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private Ipc raw(String id) {
        return fx.ipc(id, b -> b.rawBuffer(true));
    }

    private IpcServer serve(String id, Transport t) {
        return t == Transport.UNIX ? raw(id).serve(fx.path(id)) : raw(id).serveNet("127.0.0.1", 0);
    }

    private IpcClient connect(String id, IpcServer server, Transport t, Consumer<IpcClient> setup) {
        if (t == Transport.UNIX) {
            return raw(id).connectTo("srv", server.path().toString(), setup);
        }
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return raw(id).connectToNet("srv", "127.0.0.1", port, setup);
    }

    static byte[] allBytes() {
        return RawModeTest.allBytes();
    }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + i / 256);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyByteValueRoundTripsThroughTheBufferApi(Transport t) throws Exception {
        Sink atServer = new Sink(256);
        Sink atClient = new Sink(256);
        IpcServer srv = serve("srv", t).onRawBuffer((view, s) -> {
            s.emit(view); // echo: copied before emit returns (legal with a borrowed view), position untouched
            atServer.add(view);
        }).start();
        IpcClient c = connect("c", srv, t, cl -> cl.onRawBuffer(atClient::add));
        ByteBuffer direct = ByteBuffer.allocateDirect(256).put(allBytes()).flip();
        c.emit(direct).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(atClient.await()).isEqualTo(allBytes());
        assertThat(atServer.await()).isEqualTo(allBytes());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMebibyteArrivesCompleteBothWays(Transport t) throws Exception {
        byte[] payload = pattern(1 << 20);
        Sink atServer = new Sink(payload.length);
        Sink atClient = new Sink(payload.length);
        AtomicInteger serverReads = new AtomicInteger();
        CompletableFuture<IpcSocket> connected = new CompletableFuture<>();
        IpcServer srv = serve("srv", t).onConnect(connected::complete).onRawBuffer((view, s) -> {
            serverReads.incrementAndGet();
            atServer.add(view);
        }).start();
        IpcClient c = connect("c", srv, t, cl -> cl.onRawBuffer(atClient::add));
        c.emit(ByteBuffer.wrap(payload));
        assertThat(atServer.await()).isEqualTo(payload);
        assertThat(serverReads.get()).as("a 1 MiB emit is delivered in several borrowed reads").isGreaterThan(1);
        connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        srv.broadcast(ByteBuffer.allocateDirect(payload.length).put(payload).flip());
        assertThat(atClient.await()).isEqualTo(payload);
    }

    @Test
    void emitCopiesTheRemainingBytesAndLeavesTheCallersBufferAsItWas() throws Exception {
        Sink atServer = new Sink(8);
        IpcServer srv = serve("srv", Transport.UNIX).onRawBuffer((view, s) -> atServer.add(view)).start();
        IpcClient c = connect("c", srv, Transport.UNIX, cl -> { });
        ByteBuffer buf = ByteBuffer.wrap("xabcdefy".getBytes(StandardCharsets.US_ASCII));
        buf.position(1).limit(7).mark();
        c.emit(buf);
        assertThat(buf.position()).as("position not consumed").isEqualTo(1);
        assertThat(buf.limit()).isEqualTo(7);
        buf.position(3);
        buf.reset();
        assertThat(buf.position()).as("mark kept").isEqualTo(1);
        // the bytes were copied before emit returned: changing the buffer now does not change what is sent
        buf.put(1, (byte) 'Z');
        buf.limit(3);
        c.emit(buf); // the same buffer again, now "Zb"
        c.emit(ByteBuffer.allocate(0)).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(new String(atServer.await(), StandardCharsets.US_ASCII)).isEqualTo("abcdefZb");
    }

    /**
     * {@code offer} sends raw bytes like emit, with no stage: sizes around the outbox's copy limits (small,
     * the 4 KiB and 16 KiB chunk edges, larger) arrive exactly and in order, and the caller's buffer is
     * left as it was.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void offerSendsExactlyTheRemainingBytesOfEveryKindOfSource(Transport t) throws Exception {
        int[] sizes = {1, 100, 4096, 4097, 16383, 16384, 16385, 70_000};
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int n : sizes) {
            expected.writeBytes(pattern(n));
        }
        Sink atServer = new Sink(2 * expected.size());
        IpcServer srv = serve("srv", t).onRawBuffer((view, s) -> atServer.add(view)).start();
        IpcClient c = connect("c", srv, t, cl -> { });
        for (int n : sizes) {
            ByteBuffer direct = ByteBuffer.allocateDirect(n + 2).put(new byte[1]).put(pattern(n)).put(new byte[1]);
            direct.position(1).limit(n + 1);
            assertThat(c.offer(direct)).isTrue();
            assertThat(direct.position()).as("position not consumed").isEqualTo(1);
            assertThat(direct.limit()).isEqualTo(n + 1);
        }
        for (int n : sizes) {
            assertThat(c.offer(pattern(n))).isTrue();
        }
        byte[] twice = new byte[2 * expected.size()];
        System.arraycopy(expected.toByteArray(), 0, twice, 0, expected.size());
        System.arraycopy(expected.toByteArray(), 0, twice, expected.size(), expected.size());
        assertThat(atServer.await()).isEqualTo(twice);
    }

    /**
     * Emits from several threads at once, each reusing one buffer: every record arrives intact and each
     * thread's records in order (the frames behind emits are recycled between threads thousands of times).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void concurrentEmitsArriveIntactAndInOrderPerThread(Transport t) throws Exception {
        int threads = 4;
        int perThread = 5000;
        int record = 100;
        Sink atServer = new Sink(threads * perThread * record);
        IpcServer srv = serve("srv", t).onRawBuffer((view, s) -> atServer.add(view)).start();
        IpcClient c = connect("c", srv, t, cl -> { });
        List<Thread> senders = new java.util.ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int id = k;
            senders.add(new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocate(record);
                for (int i = 0; i < perThread; i++) {
                    for (int j = 0; j < record; j++) {
                        buf.put(j, (byte) (id * 31 + i + j));
                    }
                    buf.putInt(0, id).putInt(4, i);
                    while (!c.isWritable()) {
                        Thread.onSpinWait();
                    }
                    c.emit(buf);
                }
            }, "sender-" + k));
        }
        senders.forEach(Thread::start);
        for (Thread s : senders) {
            s.join(WAIT.toMillis());
        }
        ByteBuffer all = ByteBuffer.wrap(atServer.await());
        int[] next = new int[threads];
        for (int r = 0; r < threads * perThread; r++) {
            int at = r * record;
            int id = all.getInt(at);
            int i = all.getInt(at + 4);
            assertThat(i).as("record %d of thread %d", r, id).isEqualTo(next[id]++);
            for (int j = 8; j < record; j++) {
                assertThat(all.get(at + j)).isEqualTo((byte) (id * 31 + i + j));
            }
        }
        assertThat(next).containsOnly(perThread);
    }

    @Test
    void everyKindOfSourceBufferIsCopiedExactly() throws Exception {
        byte[] a = pattern(5000);
        ByteBuffer heapSlice = ByteBuffer.wrap(pattern(6000)).position(1000).slice(); // arrayOffset 1000
        ByteBuffer readOnlyHeap = ByteBuffer.wrap(a).asReadOnlyBuffer(); // no array: copied in stages
        ByteBuffer readOnlyDirect = ByteBuffer.allocateDirect(a.length).put(a).flip().asReadOnlyBuffer();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (ByteBuffer b : List.of(heapSlice, readOnlyHeap, readOnlyDirect)) {
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            expected.writeBytes(copy);
        }
        Sink atServer = new Sink(expected.size());
        IpcServer srv = serve("srv", Transport.UNIX).onRawBuffer((view, s) -> atServer.add(view)).start();
        IpcClient c = connect("c", srv, Transport.UNIX, cl -> { });
        for (ByteBuffer b : List.of(heapSlice, readOnlyHeap, readOnlyDirect)) {
            int position = b.position();
            c.emit(b);
            assertThat(b.position()).isEqualTo(position);
        }
        assertThat(atServer.await()).isEqualTo(expected.toByteArray());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void arrayAndBufferHandlersSeeTheSameBytesArraysFirst(Transport t) throws Exception {
        byte[] payload = pattern(200_000);
        Sink arrays = new Sink(payload.length);
        Sink views = new Sink(payload.length);
        List<String> problems = new CopyOnWriteArrayList<>();
        byte[][] lastArray = new byte[1][];
        IpcServer srv = serve("srv", t)
            .onData((bytes, s) -> {
                lastArray[0] = bytes;
                arrays.add(bytes);
            })
            .onRawBuffer((view, s) -> {
                if (!view.isReadOnly() || view.position() != 0 || view.order() != ByteOrder.BIG_ENDIAN) {
                    problems.add("view not reset: " + view);
                }
                byte[] seen = new byte[view.remaining()];
                view.duplicate().get(seen);
                if (lastArray[0] == null || !java.util.Arrays.equals(seen, lastArray[0])) {
                    problems.add("read differs from the onData array of the same read");
                }
                lastArray[0] = null;
                try {
                    view.put(0, (byte) 1);
                    problems.add("view is writable");
                } catch (ReadOnlyBufferException expected) {
                    // the borrowed view cannot change anything
                }
                views.add(view);
            }).start();
        connect("c", srv, t, cl -> { }).emit(ByteBuffer.wrap(payload));
        assertThat(arrays.await()).isEqualTo(payload);
        assertThat(views.await()).isEqualTo(payload);
        assertThat(problems).isEmpty();
    }

    @Test
    void udpDatagramsReachBothHandlersAndAnArrayHandlerCannotChangeTheView() throws Exception {
        Sink arrays = new Sink(256);
        Sink views = new Sink(256);
        IpcServer udp = raw("udp").serveNet("127.0.0.1", 0, NetType.UDP4)
            .onData((bytes, s) -> {
                arrays.add(bytes.clone());
                java.util.Arrays.fill(bytes, (byte) 0); // the array is the handler's to change
            })
            .onRawBuffer((view, s) -> views.add(view))
            .start();
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.send(new DatagramPacket(allBytes(), 256, (InetSocketAddress) udp.localAddress()));
            assertThat(arrays.await()).isEqualTo(allBytes());
            assertThat(views.await()).isEqualTo(allBytes());
        }
    }

    @Test
    void throwingOrMessyHandlersDoNotBreakTheConnectionOrEachOther() throws Exception {
        List<Throwable> serverErrors = new CopyOnWriteArrayList<>();
        List<Throwable> clientErrors = new CopyOnWriteArrayList<>();
        Sink atServer = new Sink(6);
        Sink atClient = new Sink(2);
        AtomicInteger disconnects = new AtomicInteger();
        IpcServer srv = serve("srv", Transport.UNIX)
            .onError((e, s) -> serverErrors.add(e))
            .onSocketDisconnected((s, id) -> disconnects.incrementAndGet())
            .onRawBuffer((view, s) -> {
                // moves everything the next handler must not see, then throws
                view.order(ByteOrder.LITTLE_ENDIAN).position(view.limit()).limit(view.limit());
                throw new IllegalStateException("handler bug");
            })
            .onRawBuffer((view, s) -> {
                atServer.add(view);
                s.emit(ByteBuffer.wrap(new byte[] {'o', 'k'}));
            })
            .start();
        AtomicInteger clientCalls = new AtomicInteger();
        IpcClient c = connect("c", srv, Transport.UNIX, cl -> cl
            .onError(clientErrors::add)
            .onRawBuffer(view -> {
                if (clientCalls.incrementAndGet() == 1) {
                    throw new IllegalArgumentException("client handler bug");
                }
            })
            .onRawBuffer(atClient::add));
        c.emit(ByteBuffer.wrap("one".getBytes(StandardCharsets.US_ASCII)));
        c.emit(ByteBuffer.wrap("two".getBytes(StandardCharsets.US_ASCII)));
        assertThat(atServer.await()).isEqualTo("onetwo".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(atClient.await(), StandardCharsets.US_ASCII)).startsWith("ok");
        assertThat(serverErrors).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOf(IpcException.class)
            .hasMessageContaining("rawBuffer handler threw").hasRootCauseMessage("handler bug"));
        assertThat(clientErrors).isNotEmpty();
        assertThat(clientErrors.get(0)).isInstanceOf(IpcException.class).hasRootCauseMessage("client handler bug");
        assertThat(c.isConnected()).isTrue();
        assertThat(disconnects.get()).isZero();
        assertThat(srv.sockets()).hasSize(1);
    }

    @Test
    void theBufferApiIsRefusedInFramedModeLikeTheArrayApi() throws Exception {
        CompletableFuture<IpcSocket> connected = new CompletableFuture<>();
        IpcServer framed = fx.ipc("f", b -> b).serve(fx.path("f")).onConnect(connected::complete).start();
        IpcClient client = fx.ipc("fc", b -> b).connectTo("f", fx.path("f"));
        ByteBuffer bytes = ByteBuffer.wrap(new byte[] {1, 2});
        assertThatThrownBy(() -> client.emit(bytes)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("rawBuffer is off").hasMessageContaining("emit(ByteBuffer)");
        assertThatThrownBy(() -> client.emit(new byte[] {1})).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("rawBuffer is off");
        assertThatThrownBy(() -> client.onRawBuffer(b -> { })).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("rawBuffer is off").hasMessageContaining("onRawBuffer");
        assertThatThrownBy(() -> framed.onRawBuffer((b, s) -> { })).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("rawBuffer is off");
        assertThatThrownBy(() -> framed.broadcast(bytes)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("rawBuffer is off");
        IpcSocket socket = connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThatThrownBy(() -> socket.emit(bytes)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("rawBuffer is off");
        assertThat(bytes.position()).isZero();
    }
}
