package io.jipc.hardening;

import static io.jipc.IpcProtocolException.Code.ERR_IPC_BACKPRESSURE;
import static io.jipc.hardening.Hardening.WAIT;
import static io.jipc.hardening.Hardening.codeOf;
import static io.jipc.hardening.Hardening.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcProtocolException;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import io.jipc.ParserProfile;
import io.jipc.Recorder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A peer that connects and never reads must not make the server's memory grow without bound.
 *
 * <p><b>How the bound is measured.</b> The server emits 16 KiB frames from one thread to a raw peer
 * that never reads, until an emit is refused with {@code ERR_IPC_BACKPRESSURE} (documented: emits fail
 * once the connection's queue passed {@code maxPendingBytes}; here 1 MiB). The loop is bounded: past
 * 100 MB or 20 s without a refusal the test fails. An emit counts as <em>taken</em> unless its stage has
 * already failed on return (or, when the socket reports not writable right after it, fails within
 * 500 ms: a refusal may be reported asynchronously). Every frame taken sits either in jipc's queue or
 * in the kernel's socket buffers. Two bounds are checked:
 * <ul>
 *   <li>loose (every fill, as the brief suggests): {@code taken × frameSize ≤ maxPendingBytes + one frame
 *       + 8 MiB}, the 8 MiB standing for whatever the kernel may buffer;</li>
 *   <li>tight ({@link #burstsFromAHandlerStayWithinMaxPendingBytesPlusKernelBuffers}):
 *       {@code ≤ maxPendingBytes + 2 frames + 2 × kernel buffering}, where the kernel part is measured by
 *       {@link #kernelCapacity()}: a plain JDK AF_UNIX socket pair that nobody reads is filled and what the
 *       kernel accepted is counted (about 200 KiB with Linux defaults). This catches a queue bound that is
 *       off by a whole {@code maxPendingBytes}.</li>
 * </ul>
 * Afterwards the peer starts reading and must receive exactly the frames that were taken, intact and in
 * order: nothing accepted is lost or torn. Heap growth is checked through Netty's allocator metrics
 * (the frames live in Netty buffers), not {@code Runtime} memory, which is too noisy to bound.
 */
@Timeout(60)
class BackpressureTest extends RawPeerTestBase {
    static final long MAX_PENDING = 1 << 20;
    /** Hard ceiling whatever the kernel reports (the brief's "8 MiB slack"). */
    static final long SLACK = 8 << 20;
    private static long kernelCapacity = -1;
    static final long LOOP_BYTES = 100L << 20;
    static final Duration LOOP_TIME = Duration.ofSeconds(20);
    static final String PAYLOAD = "x".repeat(16 * 1024);
    /** One frame on the wire: {"type":"blob","data":"xxx…"} plus the form feed. */
    static final int FRAME = ("{\"type\":\"blob\",\"data\":\"" + PAYLOAD + "\"}\f").getBytes(StandardCharsets.UTF_8).length;
    static final JsonMapper JSON = JsonMapper.builder().build();




    Ipc ipc(String id, ParserProfile profile, boolean nativeTransport) {
        Ipc ipc = new Ipc(IpcConfig.builder().id(id).socketRoot(dir + "/").appspace("t.").silent(true).retry(50)
            .maxRetries(0).parser(profile).maxPendingBytes(MAX_PENDING).preferNativeTransport(nativeTransport).build());
        instances.add(ipc);
        assertThat(ipc.transport()).isEqualTo(nativeTransport ? "epoll" : "nio");
        return ipc;
    }

    static Stream<Arguments> profilesAndTransports() {
        List<Boolean> flavours = Epoll.isAvailable() ? List.of(true, false) : List.of(false);
        return Stream.of(ParserProfile.FAST, ParserProfile.GUARDED)
            .flatMap(p -> flavours.stream().map(n -> Arguments.of(p, n ? "epoll" : "nio")));
    }

    /** What the fill loop saw. */
    record Fill(int taken, Throwable refusal, long millis) {
        long takenBytes() {
            return (long) taken * FRAME;
        }
    }

    /** Emits 16 KiB frames to {@code s} until one is refused; fails the test past 100 MB or 20 s. */
    static Fill fill(IpcSocket s) {
        return fill(() -> s.emit("blob", PAYLOAD), s::isWritable);
    }

    /** {@link #fill(IpcSocket)} for any emitter: {@code emit} sends one blob, {@code writable} reports writability. */
    static Fill fill(java.util.function.Supplier<CompletionStage<Void>> emit, java.util.function.BooleanSupplier writable) {
        long start = System.nanoTime();
        long deadline = start + LOOP_TIME.toNanos();
        int taken = 0;
        while ((long) taken * FRAME < LOOP_BYTES && System.nanoTime() < deadline) {
            CompletionStage<Void> stage = emit.get();
            Throwable refusal = Hardening.immediateFailure(stage);
            if (refusal == null && !writable.getAsBoolean()) {
                refusal = Hardening.failureWithin(stage, Duration.ofMillis(500));
            }
            if (refusal != null) {
                return new Fill(taken, refusal, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            taken++;
        }
        return fail("no emit was refused after " + taken + " frames (" + (long) taken * FRAME + " bytes) in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: the outbound queue is unbounded");
    }

    /**
     * Emits one more blob to a socket already past its bound and returns the refusal, or null when the
     * frame was taken (its stage neither failed at once nor within 200 ms).
     */
    static Throwable offer(IpcSocket s) {
        CompletionStage<Void> stage = s.emit("blob", PAYLOAD);
        Throwable t = Hardening.immediateFailure(stage);
        return t != null ? t : Hardening.failureWithin(stage, Duration.ofMillis(200));
    }

    /**
     * How many bytes the kernel buffers on an AF_UNIX stream connection whose reader never reads: a
     * plain JDK socket pair (no jipc, no Netty) is written non-blocking until a write takes nothing.
     * Measured once per run.
     */
    static synchronized long kernelCapacity() throws IOException {
        if (kernelCapacity >= 0) {
            return kernelCapacity;
        }
        Path dir = Files.createTempDirectory("jipc-kcap");
        Path p = dir.resolve("k.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(p));
            try (SocketChannel reader = SocketChannel.open(UnixDomainSocketAddress.of(p));
                 SocketChannel writer = server.accept()) {
                writer.configureBlocking(false);
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                long total = 0;
                for (int i = 0; i < 1_000; i++) {
                    chunk.clear();
                    int n = writer.write(chunk);
                    if (n == 0) {
                        break;
                    }
                    total += n;
                }
                kernelCapacity = total;
                return total;
            }
        } finally {
            Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        }
    }

    /** The tight bound: jipc's queue (maxPendingBytes + one frame), one more frame, twice the kernel's buffering. */
    static long bound() throws IOException {
        return MAX_PENDING + 2L * FRAME + 2 * kernelCapacity();
    }

    /** Server + one raw peer that does not read; returns the server's socket for that peer. */
    record Setup(IpcServer server, IpcSocket socket, RawPeer peer, Recorder events) {
    }

    Setup setup(ParserProfile profile, String transport) throws Exception {
        Recorder ev = new Recorder();
        AtomicReference<IpcSocket> sock = new AtomicReference<>();
        CountDownLatch connected = new CountDownLatch(1);
        IpcServer s = ipc("srv", profile, transport.equals("epoll")).serve(path().toString())
            .onConnect(x -> {
                sock.set(x);
                connected.countDown();
            })
            .onWritabilityChanged((x, w) -> ev.add("writable " + w))
            .onSocketDisconnected((x, id) -> ev.add("socket.disconnected"))
            .onError((e, x) -> ev.add(Hardening.describe(e)))
            .start();
        RawPeer peer = RawPeer.connect(path(), false);
        peers.add(peer);
        assertThat(connected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new Setup(s, sock.get(), peer, ev);
    }

    /** The loose bound of the brief: maxPendingBytes + one frame + 8 MiB for whatever the kernel holds. */
    static void assertBounded(Fill f) throws IOException {
        assertThat(f.takenBytes()).as("bytes taken before the first refusal (%d frames of %d bytes; "
                + "maxPendingBytes %d, kernel buffers %d)", f.taken(), FRAME, MAX_PENDING, kernelCapacity())
            .isLessThanOrEqualTo(MAX_PENDING + FRAME + SLACK)
            .as("the bound is maxPendingBytes, not something much smaller")
            .isGreaterThanOrEqualTo(MAX_PENDING / 2);
    }

    /** The peer starts reading and must get exactly {@code n} intact blob frames, in order. */
    static void assertDelivered(RawPeer peer, int n) throws Exception {
        peer.startReading();
        boolean all = peer.awaitBytes((long) n * FRAME, WAIT);
        assertThat(all).as("the %d frames taken (%d bytes) arrive; got %d bytes, peer closed: %s", n, (long) n * FRAME,
            peer.receivedBytes(), peer.closeReason()).isTrue();
        List<String> frames = peer.frames();
        assertThat(frames).hasSizeGreaterThanOrEqualTo(n);
        for (int i = 0; i < n; i++) {
            JsonNode m = JSON.readTree(frames.get(i));
            assertThat(m.get("type").asString()).isEqualTo("blob");
            assertThat(m.get("data").asString()).isEqualTo(PAYLOAD);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("profilesAndTransports")
    void aPeerThatNeverReadsCostsAtMostMaxPendingBytes(ParserProfile profile, String transport) throws Exception {
        Setup st = setup(profile, transport);
        Fill f = fill(st.socket());
        assertThat(codeOf(f.refusal())).as("refusal: %s after %d frames; server events %s", f.refusal(), f.taken(),
            st.events().lines()).isEqualTo(ERR_IPC_BACKPRESSURE);
        assertBounded(f);
        // (that refusals and writability events agree is checked by refusalsAndWritabilityAgree)

        if (profile == ParserProfile.FAST) {
            // FAST: the connection stays; later emits fail fast. (Strictly they must all fail while the
            // socket is not writable: refusalsAndWritabilityAgree. Here a frame taken later
            // is only counted, and must fit the same bound.)
            assertThat(st.socket().isOpen()).isTrue();
            long t0 = System.nanoTime();
            int extra = 0;
            for (int i = 0; i < 200; i++) {
                Throwable t = offer(st.socket());
                if (t == null) {
                    extra++;
                } else {
                    assertThat(codeOf(t)).isEqualTo(ERR_IPC_BACKPRESSURE);
                }
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("200 more emits").isLessThan(10_000);
            assertThat(extra).as("emits taken among 200 after the first refusal").isLessThan(200);
            assertBounded(new Fill(f.taken() + extra, f.refusal(), 0));
            assertThat(st.events().lines()).as("FAST: no error event, no close").doesNotContain("socket.disconnected")
                .noneMatch(l -> l.startsWith("error"));
            int taken = f.taken() + extra;
            // the peer reads again: everything taken arrives intact, and emits work again
            assertDelivered(st.peer(), taken);
            assertThat(failureOf(() -> st.socket().emit("blob", "again"))).isNull();
            assertThat(st.peer().awaitBytes((long) taken * FRAME + 1, WAIT)).isTrue();
            assertThat(st.peer().closedByPeer()).isFalse();
        } else {
            // GUARDED: the connection is closed, the error is reported, later emits fail
            st.events().awaitLine("socket.disconnected", WAIT);
            assertThat(st.socket().isOpen()).isFalse();
            // (its exception type is checked by guardedBackpressureErrorEventIsACodedIpcProtocolException)
            assertThat(st.events().lines()).as("an error event reports the backpressure close")
                .anyMatch(l -> l.startsWith("error "));
            assertThat(failureOf(() -> st.socket().emit("blob", "late"))).as("emit after close").isNotNull();
            st.peer().startReading();
            assertThat(st.peer().awaitClosed(WAIT)).as("the peer sees its connection closed").isTrue();
        }
    }

    /**
     * {@code offer}, the emit without a stage, is held to the same bound: offers to a peer that never reads
     * return false once {@code maxPendingBytes} is queued (FAST: the connection stays; GUARDED: it is closed
     * and the error reported), and what was offered before that arrives intact and in order.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("profilesAndTransports")
    void offersToAPeerThatNeverReadsAreRefusedWithinTheSameBound(ParserProfile profile, String transport)
        throws Exception {
        Setup st = setup(profile, transport);
        long deadline = System.nanoTime() + LOOP_TIME.toNanos();
        int taken = 0;
        while (st.socket().offer("blob", PAYLOAD)) {
            taken++;
            assertThat((long) taken * FRAME).as("offers taken without a refusal").isLessThan(LOOP_BYTES);
            assertThat(System.nanoTime()).as("offer loop time").isLessThan(deadline);
        }
        assertBounded(new Fill(taken, null, 0));
        if (profile == ParserProfile.FAST) {
            assertThat(st.socket().isOpen()).isTrue();
            assertThat(st.socket().offer("blob", PAYLOAD)).as("still not writable: refused").isFalse();
            assertDelivered(st.peer(), taken);
            assertThat(st.peer().receivedBytes()).as("nothing refused went out").isEqualTo((long) taken * FRAME);
            assertThat(st.events().lines()).as("FAST: no error event").noneMatch(l -> l.startsWith("error"));
        } else {
            st.events().awaitLine("socket.disconnected", WAIT);
            assertThat(st.events().lines()).contains("error " + ERR_IPC_BACKPRESSURE);
            assertThat(st.socket().offer("blob", "late")).as("offer after close").isFalse();
        }
    }

    /**
     * The tight form of the bound, where emits come from a message handler (the usual place to reply):
     * a peer that never reads sends "go" three times; each time the handler emits 16 KiB frames on the
     * I/O thread until one is refused. Over all bursts the frames taken must stay within
     * {@code maxPendingBytes + 2 frames + 2 × kernel buffering} ({@link #bound()}): a later burst may
     * only take what the kernel has drained since, never a fresh {@code maxPendingBytes}. Then the peer
     * reads and gets exactly the frames taken.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void burstsFromAHandlerStayWithinMaxPendingBytesPlusKernelBuffers(String transport) throws Exception {
        Recorder ev = new Recorder();
        int cap = (int) (LOOP_BYTES / FRAME);
        ipc("srv", ParserProfile.FAST, transport.equals("epoll")).serve(path().toString())
            .on("go", (d, sock) -> {
                int taken = 0;
                while (taken < cap && Hardening.immediateFailure(sock.emit("blob", PAYLOAD)) == null) {
                    taken++;
                }
                ev.add("burst " + taken);
            })
            .start();
        RawPeer peer = RawPeer.connect(path(), false);
        peers.add(peer);
        long total = 0;
        List<Integer> bursts = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            peer.send("{\"type\":\"go\",\"data\":" + round + "}\f");
            int r = round;
            List<String> lines = ev.await(l -> l.size() >= r, WAIT, "burst " + round);
            int taken = Integer.parseInt(lines.get(round - 1).substring("burst ".length()));
            assertThat(taken).as("burst %d was cut by a refusal, not by the %d-frame cap", round, cap).isLessThan(cap);
            bursts.add(taken);
            total += taken;
        }
        assertThat(total * FRAME).as("bytes taken over bursts %s (maxPendingBytes %d, kernel buffers %d)", bursts,
            MAX_PENDING, kernelCapacity()).isLessThanOrEqualTo(bound());
        assertDelivered(peer, (int) total);
    }

    static Stream<String> transports() {
        return Epoll.isAvailable() ? Stream.of("epoll", "nio") : Stream.of("nio");
    }

    /**
     * The mirror case: a jipc client whose server accepts and never reads. The client's emits are
     * refused with ERR_IPC_BACKPRESSURE within the same bound; FAST keeps the connection, GUARDED
     * reports a coded error and drops it (maxRetries 0: destroy).
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("profilesAndTransports")
    void aServerThatNeverReadsCostsTheClientAtMostMaxPendingBytes(ParserProfile profile, String transport)
        throws Exception {
        Path p = dir.resolve("mute.sock");
        try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            mute.bind(UnixDomainSocketAddress.of(p));
            Recorder ce = new Recorder();
            IpcClient c = ipc("cl", profile, transport.equals("epoll")).connectTo("mute", p.toString(), x -> x
                .onConnect(() -> ce.add("connect"))
                .onDisconnect(() -> ce.add("disconnect"))
                .onDestroy(() -> ce.add("destroy"))
                .onError(e -> ce.add(Hardening.describe(e))));
            try (SocketChannel accepted = mute.accept()) {
                ce.awaitLine("connect", WAIT);
                Fill f = fill(() -> c.emit("blob", PAYLOAD), c::isWritable);
                assertThat(codeOf(f.refusal())).as("refusal: %s after %d frames", f.refusal(), f.taken())
                    .isEqualTo(ERR_IPC_BACKPRESSURE);
                assertBounded(f);
                if (profile == ParserProfile.FAST) {
                    assertThat(c.isConnected()).isTrue();
                    assertThat(codeOf(failureOf(() -> c.emit("blob", PAYLOAD)))).isEqualTo(ERR_IPC_BACKPRESSURE);
                    assertThat(ce.lines()).containsExactly("connect");
                } else {
                    ce.awaitLine("destroy", WAIT);
                    List<String> lines = ce.lines();
                    assertThat(lines).startsWith("connect", "error " + ERR_IPC_BACKPRESSURE).endsWith("disconnect", "destroy");
                    // exactly one error event: guardedBackpressureCloseReportsOneErrorEvent
                }
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    /**
     * Refusals and writability agree, as {@link IpcServer#onWritabilityChanged} documents: writability
     * turns false once the queue passed {@code maxPendingBytes} ("emits then fail with
     * ERR_IPC_BACKPRESSURE") and true again below half of it. So (1) when the first emit is refused the
     * socket reports not writable and a writability(false) event fires; (2) after the peer reads 256 KiB
     * and stops again, the queue shrinks a little but stays well above half the bound: the socket stays
     * not writable and every emit is still refused (each offered for up to 200 ms, for 1 s in all, at most
     * 2000 emits); (3) once the peer reads everything writability(true) fires and emits work again.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void refusalsAndWritabilityAgree(String transport) throws Exception {
        Setup st = setup(ParserProfile.FAST, transport);
        Fill f = fill(st.socket());
        assertThat(codeOf(f.refusal())).isEqualTo(ERR_IPC_BACKPRESSURE);
        assertThat(st.socket().isWritable()).as("not writable once an emit was refused").isFalse();
        st.events().awaitLine("writable false", WAIT);

        st.peer().readExactly(256 * 1024);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < 2_000 && System.nanoTime() < deadline; i++) {
            boolean writable = st.socket().isWritable();
            Throwable t = offer(st.socket());
            assertThat(writable).as("writable again after the peer read 256 KiB of a %d-byte bound (emit %d)",
                MAX_PENDING, i).isFalse();
            assertThat(t).as("emit %d while not writable was taken", i).isNotNull();
            assertThat(codeOf(t)).isEqualTo(ERR_IPC_BACKPRESSURE);
        }
        assertThat(st.events().lines()).containsExactly("writable false");

        st.peer().startReading();
        st.events().awaitLine("writable true", WAIT);
        assertThat(failureOf(() -> st.socket().emit("blob", "again"))).isNull();
    }

    /**
     * {@code IpcSocket.writableLength()} (Node's {@code socket.writableLength}) counts what the kernel has not
     * taken: zero before anything is sent, above half the bound once emits are refused (everything taken minus
     * what the kernel buffers), and back to zero once the peer has read everything.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void writableLengthCountsWhatTheKernelHasNotTaken(String transport) throws Exception {
        Setup st = setup(ParserProfile.FAST, transport);
        assertThat(st.socket().writableLength()).isZero();
        Fill f = fill(st.socket());
        assertThat(codeOf(f.refusal())).isEqualTo(ERR_IPC_BACKPRESSURE);
        assertThat(st.socket().writableLength()).as("queued after %d frames were taken", f.taken())
            // at most one buffer counted twice while the I/O thread hands it over, plus Netty's ~96 B per buffer
            .isGreaterThan(MAX_PENDING / 2).isLessThanOrEqualTo(f.takenBytes() + 2L * FRAME);
        assertDelivered(st.peer(), f.taken());
        // the event loop counts a write out just after the peer can see its bytes: wait for that, bounded
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (st.socket().writableLength() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(st.socket().writableLength()).as("after the peer read everything").isZero();
    }

    /**
     * A GUARDED backpressure close is one protocol error: exactly one {@code error} event
     * (ERR_IPC_BACKPRESSURE) on the side that closes, whether client or server. The frames still queued
     * when it closes fail their own emit stages; they must not each raise another {@code error} event.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("sidesAndTransports")
    void guardedBackpressureCloseReportsOneErrorEvent(String side, String transport) throws Exception {
        boolean nat = transport.equals("epoll");
        List<String> errors;
        if (side.equals("server")) {
            Setup st = setup(ParserProfile.GUARDED, transport);
            fill(st.socket());
            st.events().awaitLine("socket.disconnected", WAIT);
            errors = st.events().lines().stream().filter(l -> l.startsWith("error")).toList();
        } else {
            Path p = dir.resolve("mute.sock");
            try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                mute.bind(UnixDomainSocketAddress.of(p));
                Recorder ce = new Recorder();
                IpcClient c = ipc("cl", ParserProfile.GUARDED, nat).connectTo("mute", p.toString(), x -> x
                    .onConnect(() -> ce.add("connect"))
                    .onDestroy(() -> ce.add("destroy"))
                    .onError(e -> ce.add(Hardening.describe(e))));
                try (SocketChannel accepted = mute.accept()) {
                    ce.awaitLine("connect", WAIT);
                    fill(() -> c.emit("blob", PAYLOAD), c::isWritable);
                    ce.awaitLine("destroy", WAIT);
                }
                errors = ce.lines().stream().filter(l -> l.startsWith("error")).toList();
            } finally {
                Files.deleteIfExists(p);
            }
        }
        assertThat(errors).containsExactly("error " + ERR_IPC_BACKPRESSURE);
    }

    static Stream<Arguments> sidesAndTransports() {
        return Stream.of("server", "client").flatMap(side -> transports().map(t -> Arguments.of(side, t)));
    }

    /**
     * The error event of a GUARDED backpressure close must carry the public, coded exception, like
     * every other refused frame ({@link IpcProtocolException} Javadoc; {@code ServerErrorHandler}: "refused
     * frames ({@code IpcProtocolException})").
     */
    @Test
    void guardedBackpressureErrorEventIsACodedIpcProtocolException() throws Exception {
        Setup st = setup(ParserProfile.GUARDED, Epoll.isAvailable() ? "epoll" : "nio");
        fill(st.socket());
        st.events().awaitLine("socket.disconnected", WAIT);
        assertThat(st.events().lines()).contains("error " + ERR_IPC_BACKPRESSURE);
    }

    /** Memory check of the FAST case: refused emits allocate and release; pooled memory does not grow. */
    @Test
    void refusedEmitsDoNotAccumulateMemory() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider,
            "the default allocator reports no metrics");
        Setup st = setup(ParserProfile.FAST, Epoll.isAvailable() ? "epoll" : "nio");
        Fill f = fill(st.socket());
        assertThat(codeOf(f.refusal())).isEqualTo(ERR_IPC_BACKPRESSURE);
        ByteBufAllocatorMetric m = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        long before = m.usedDirectMemory() + m.usedHeapMemory();
        int offered = 2_000; // 2000 × 16 KiB ≈ 32 MiB offered to a peer that does not read
        int taken = 0;
        for (int i = 0; i < offered; i++) {
            Throwable t = offer(st.socket());
            if (t == null) {
                taken++;
            } else {
                assertThat(codeOf(t)).isEqualTo(ERR_IPC_BACKPRESSURE);
            }
        }
        assertThat(taken).as("emits taken of %d after the first refusal", offered).isLessThan(offered / 10);
        long grew = m.usedDirectMemory() + m.usedHeapMemory() - before;
        assertThat(grew).as("allocator memory growth after %d more 16 KiB emits (%d taken)", offered, taken)
            .isLessThan(8L << 20);
    }

    /**
     * One slow peer (never reads) and three fast jipc clients: broadcasting N 16 KiB frames in lockstep
     * with the fast clients delivers all N to each of them, in order; the slow one's queue stops at the
     * bound (its direct emits fail with ERR_IPC_BACKPRESSURE) and, when it finally reads, it got fewer
     * than N frames, all intact and in increasing order (dropped, never torn).
     */
    @Test
    void broadcastKeepsServingFastClientsWhileTheSlowOneIsCut() throws Exception {
        int n = 400;
        Recorder ev = new Recorder();
        List<IpcSocket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch allConnected = new CountDownLatch(4);
        CountDownLatch slowConnected = new CountDownLatch(1);
        boolean nat = Epoll.isAvailable();
        IpcServer s = ipc("srv", ParserProfile.FAST, nat).serve(path().toString())
            .onConnect(x -> {
                sockets.add(x);
                slowConnected.countDown();
                allConnected.countDown();
            })
            .onWritabilityChanged((x, w) -> ev.add("writable " + w + " " + (x == sockets.get(0) ? "slow" : "fast")))
            .onError((e, x) -> ev.add(Hardening.describe(e)))
            .start();
        RawPeer slow = RawPeer.connect(path(), false);
        peers.add(slow);
        // the slow peer is the first socket: wait for it before the fast ones connect
        assertThat(slowConnected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(sockets).hasSize(1);
        IpcSocket slowSocket = sockets.get(0);
        AtomicInteger[] got = new AtomicInteger[3];
        AtomicInteger outOfOrder = new AtomicInteger();
        Object progress = new Object();
        Ipc clients = ipc("c", ParserProfile.FAST, nat);
        for (int k = 0; k < 3; k++) {
            AtomicInteger g = new AtomicInteger();
            got[k] = g;
            IpcClient c = clients.connectTo("fast" + k, path().toString(), null);
            c.on("news", d -> {
                if (d.get("i").asInt() != g.get()) {
                    outOfOrder.incrementAndGet();
                }
                g.incrementAndGet();
                synchronized (progress) {
                    progress.notifyAll();
                }
            });
        }
        assertThat(allConnected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        long deadline = System.nanoTime() + LOOP_TIME.toNanos();
        for (int i = 0; i < n; i++) {
            s.broadcast("news", Map.of("i", i, "pad", PAYLOAD));
            int want = i + 1;
            synchronized (progress) {
                while (!(got[0].get() >= want && got[1].get() >= want && got[2].get() >= want)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        fail("fast clients stalled at broadcast " + i + ": got " + got[0] + "/" + got[1] + "/" + got[2]);
                    }
                    progress.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                }
            }
        }
        for (AtomicInteger g : got) {
            assertThat(g.get()).isEqualTo(n);
        }
        assertThat(outOfOrder.get()).isZero();

        assertThat(slowSocket.isOpen()).isTrue();
        assertThat(slowSocket.isWritable()).isFalse();
        ev.awaitLine("writable false slow", WAIT);
        assertThat(codeOf(failureOf(() -> slowSocket.emit("news", Map.of("i", -1))))).isEqualTo(ERR_IPC_BACKPRESSURE);
        assertThat(ev.lines()).as("fast clients never hit the bound; no error events")
            .noneMatch(l -> l.contains("fast") || l.startsWith("error"));

        // the slow peer reads now. Once writability is back at most half of maxPendingBytes is still
        // queued; a marker frame emitted then is queued last, so when it arrives everything has been read
        slow.startReading();
        ev.awaitLine("writable true slow", WAIT);
        assertThat(failureOf(() -> slowSocket.emit("news", Map.of("i", n)))).isNull();
        assertThat(slow.awaitText("\"i\":" + n + "}", WAIT)).as("marker frame arrives").isTrue();
        int news = 0;
        int lastI = -1;
        List<String> frames = slow.frames();
        assertThat(frames).isNotEmpty();
        assertThat(frames.get(frames.size() - 1)).contains("\"i\":" + n);
        for (String fr : frames.subList(0, frames.size() - 1)) {
            JsonNode m = JSON.readTree(fr);
            assertThat(m.get("type").asString()).isEqualTo("news");
            int i = m.get("data").get("i").asInt();
            assertThat(i).isGreaterThan(lastI);
            lastI = i;
            news++;
        }
        assertThat(news).as("the slow peer got fewer than all %d broadcasts (the rest were dropped)", n).isLessThan(n);
        long newsBytes = frames.subList(0, frames.size() - 1).stream()
            .mapToLong(x -> x.getBytes(StandardCharsets.UTF_8).length + 1).sum();
        assertThat(newsBytes).as("bytes taken for the slow peer (%d frames; kernel buffers %d)", news, kernelCapacity())
            .isLessThanOrEqualTo(MAX_PENDING + FRAME + SLACK);
    }
}
