package io.jipc.hardening;

import static io.jipc.IpcProtocolException.Code.ERR_IPC_EVENT_NOT_ALLOWED;
import static io.jipc.IpcProtocolException.Code.ERR_IPC_EVENT_TOO_LARGE;
import static io.jipc.IpcProtocolException.Code.ERR_IPC_FRAME_TOO_LARGE;
import static io.jipc.IpcProtocolException.Code.ERR_IPC_INVALID_EVENT;
import static io.jipc.IpcProtocolException.Code.ERR_IPC_INVALID_JSON;
import static io.jipc.IpcProtocolException.Code.ERR_IPC_INVALID_MESSAGE;
import static io.jipc.IpcProtocolException.Code.ERR_IPC_INVALID_UTF8;
import static io.jipc.IpcProtocolException.Code.ERR_IPC_MESSAGE_TIMEOUT;
import static io.jipc.IpcProtocolException.Code.ERR_IPC_RESERVED_EVENT;
import static io.jipc.hardening.Hardening.WAIT;
import static io.jipc.hardening.Hardening.codeOf;
import static io.jipc.hardening.Hardening.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcProtocolException.Code;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import io.jipc.ParserProfile;
import io.jipc.Recorder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile peers against a jipc Unix-socket server, one row of research §1.3 at a time, under every
 * framed parser profile. The hostile side is a raw JDK socket (no jipc code), so it can send bytes no
 * jipc client would. For each row and profile the test checks:
 * <ul>
 *   <li>the server's {@code error} event and its code (or, for a frame that is legal under the
 *       profile, that it is delivered as an ordinary message);</li>
 *   <li>whether the hostile connection is closed: GUARDED/ASSURED close it; FAST keeps it, proven by a
 *       good frame sent afterwards on the same connection being delivered;</li>
 *   <li>that no lifecycle handler ({@code start}, {@code connect}, {@code socket.disconnected},
 *       {@code error}, {@code data}) fires because of a wire name;</li>
 *   <li>that a well-behaved jipc client can still do a round trip with the server afterwards.</li>
 * </ul>
 * The expected codes follow jipc's {@link io.jipc.IpcProtocolException.Code} Javadoc. One difference
 * from the research table: a JSON array is "JSON that is not an object" ({@code ERR_IPC_INVALID_MESSAGE}),
 * where node-ipc 14 guarded reports {@code ERR_IPC_INVALID_EVENT}.
 */
@Timeout(30)
class HostilePeerTest extends RawPeerTestBase {
    /** maxMessageSize for every profile here: small, so oversize rows stay cheap. */
    static final int MAX = 64 * 1024;
    /** messageTimeout for GUARDED/ASSURED: short, so the endless-partial row takes well under a second. */
    static final Duration MESSAGE_TIMEOUT = Duration.ofMillis(300);
    static final String[] ALLOWED = {"msg", "ping", "pong"};
    static final List<ParserProfile> PROFILES = List.of(ParserProfile.FAST, ParserProfile.GUARDED, ParserProfile.ASSURED);
    static final List<String> LIFECYCLE_NAMES =
        List.of("start", "connect", "disconnect", "destroy", "close", "socket.disconnected", "error", "data");

    /** Channel flavour of every instance a test makes ("epoll" or "nio"). */
    String transport = io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio";


    // ------------------------------------------------------------------ the attacks

    /** How a hostile peer misbehaves. */
    interface Sender {
        void send(RawPeer peer, ParserProfile profile) throws Exception;
    }

    /**
     * One row: what is sent, what each profile must make of it ({@code null} code = delivered as a
     * message of {@code deliveredType}), and what the peer must send before a good frame to be back in
     * sync (only the endless partial frame needs its delimiter).
     */
    record Attack(String name, Sender sender, Function<ParserProfile, Code> expected, String deliveredType,
                  String resync) {
        @Override
        public String toString() {
            return name;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Attack everywhere(String name, String frame, Code code) {
        return new Attack(name, (p, prof) -> p.send(frame), prof -> code, null, "");
    }

    /** A frame that is fine under FAST but refused by the strict profiles with {@code strict}. */
    static Attack strictOnly(String name, String type, Code strict) {
        String frame = "{\"type\":\"" + type + "\",\"data\":\"spoof\"}\f";
        return new Attack(name, (p, prof) -> p.send(frame), prof -> prof == ParserProfile.FAST ? null : strict, type, "");
    }

    static List<Attack> attacks() {
        List<Attack> list = new ArrayList<>();
        list.add(everywhere("empty frame", "\f", ERR_IPC_INVALID_JSON));
        list.add(everywhere("invalid JSON", "{\"type\":\"msg\",\"data\":\f", ERR_IPC_INVALID_JSON));
        list.add(everywhere("JSON null", "null\f", ERR_IPC_INVALID_MESSAGE));
        list.add(everywhere("JSON array", "[{\"type\":\"msg\",\"data\":1}]\f", ERR_IPC_INVALID_MESSAGE));
        list.add(everywhere("non-string type", "{\"type\":5,\"data\":1}\f", ERR_IPC_INVALID_EVENT));
        list.add(everywhere("missing type", "{\"data\":\"x\"}\f", ERR_IPC_INVALID_EVENT));
        list.add(strictOnly("type __proto__", "__proto__", ERR_IPC_RESERVED_EVENT));
        list.add(strictOnly("type constructor", "constructor", ERR_IPC_RESERVED_EVENT));
        for (String name : LIFECYCLE_NAMES) {
            list.add(strictOnly("reserved type " + name, name, ERR_IPC_RESERVED_EVENT));
        }
        list.add(strictOnly("event name of 300 chars", "n".repeat(300), ERR_IPC_EVENT_TOO_LARGE));
        list.add(new Attack("type outside allowedEvents", (p, prof) -> p.send("{\"type\":\"other\",\"data\":1}\f"),
            prof -> prof == ParserProfile.ASSURED ? ERR_IPC_EVENT_NOT_ALLOWED : null, "other", ""));
        list.add(new Attack("oversize frame", (p, prof) ->
            p.send("{\"type\":\"msg\",\"data\":\"" + "x".repeat(MAX + 10) + "\"}\f"),
            prof -> ERR_IPC_FRAME_TOO_LARGE, null, ""));
        list.add(new Attack("endless partial frame", HostilePeerTest::endlessPartial,
            prof -> prof == ParserProfile.FAST ? ERR_IPC_FRAME_TOO_LARGE : ERR_IPC_MESSAGE_TIMEOUT, null, "\f"));
        list.add(new Attack("invalid UTF-8", (p, prof) -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(utf8("{\"type\":\"msg\",\"data\":\""));
            b.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3, (byte) 0x28});
            b.writeBytes(utf8("\"}\f"));
            p.send(b.toByteArray());
        }, prof -> ERR_IPC_INVALID_UTF8, null, ""));
        list.add(new Attack("valid message 1 byte per write",
            (p, prof) -> p.sendByteByByte(utf8("{\"type\":\"msg\",\"data\":\"slow ü€😀\"}\f"), 1),
            prof -> null, "msg", ""));
        return list;
    }

    /**
     * FAST: no timeout, so the peer keeps sending without a delimiter: once more than maxMessageSize is
     * pending the frame is refused (one error) and further bytes are skipped, not buffered; 5 × MAX in all.
     * GUARDED/ASSURED: a short partial frame, then silence until messageTimeout refuses it.
     */
    static void endlessPartial(RawPeer p, ParserProfile profile) {
        p.send("{\"type\":\"msg\",\"data\":\"");
        if (profile == ParserProfile.FAST) {
            byte[] chunk = utf8("x".repeat(8 * 1024));
            for (int i = 0; i < 5 * MAX / chunk.length; i++) {
                p.send(chunk);
            }
        } else {
            p.send("abc");
        }
    }

    /** @return the channel flavours to run on: native epoll where it loads, and the JDK's NIO always */
    static List<String> transports() {
        return io.netty.channel.epoll.Epoll.isAvailable() ? List.of("epoll", "nio") : List.of("nio");
    }

    static Stream<Arguments> matrix() {
        return PROFILES.stream().flatMap(prof -> transports().stream()
            .flatMap(t -> attacks().stream().map(a -> Arguments.of(prof, t, a))));
    }

    // ------------------------------------------------------------------ fixtures


    IpcConfig.Builder config(ParserProfile profile, String id) {
        IpcConfig.Builder b = IpcConfig.builder().id(id).socketRoot(dir + "/").appspace("t.").silent(true)
            .retry(50).maxRetries(0).parser(profile).maxMessageSize(MAX)
            .preferNativeTransport(transport.equals("epoll"));
        if (profile != ParserProfile.FAST) {
            b.messageTimeout(MESSAGE_TIMEOUT);
        }
        if (profile == ParserProfile.ASSURED) {
            b.allowedEvents(ALLOWED);
        }
        return b;
    }

    Ipc ipc(IpcConfig.Builder b) {
        Ipc ipc = new Ipc(b.build());
        instances.add(ipc);
        assertThat(ipc.transport()).isEqualTo(transport);
        return ipc;
    }

    RawPeer raw(boolean reading) {
        RawPeer p = RawPeer.connect(path(), reading);
        peers.add(p);
        return p;
    }

    /**
     * Starts a server that records everything in {@code ev}: lifecycle events as {@code "start"},
     * {@code "connect"}, {@code "socket.disconnected"}, {@code "lifecycle data"}; errors as
     * {@code "error CODE hostile|other"} (hostile = the first connection); messages as
     * {@code "msg TYPE DATA"}; typed handlers for every lifecycle name as {@code "wire NAME"}. Replies
     * {@code pong} to {@code ping}.
     */
    IpcServer server(ParserProfile profile, Recorder ev, AtomicReference<IpcSocket> first) {
        IpcServer s = ipc(config(profile, "srv")).serve(path().toString());
        s.onStart(() -> ev.add("start"))
            .onConnect(sock -> {
                first.compareAndSet(null, sock);
                ev.add("connect");
            })
            .onSocketDisconnected((sock, id) -> ev.add("socket.disconnected"))
            .onError((err, sock) -> ev.add(Hardening.describe(err) + (sock != null && sock == first.get() ? " hostile" : " other")))
            .onData((bytes, sock) -> ev.add("lifecycle data"))
            .onAny((type, data, sock) -> ev.add("msg " + type + " " + data))
            .on("ping", (data, sock) -> sock.emit("pong", data));
        for (String name : LIFECYCLE_NAMES) {
            s.on(name, (data, sock) -> ev.add("wire " + name));
        }
        return s.start();
    }

    /** A well-behaved jipc client (same profile) connects, sends ping and gets pong. */
    void roundTrip(ParserProfile profile, String text) throws Exception {
        Recorder got = new Recorder();
        CountDownLatch up = new CountDownLatch(1);
        IpcClient c = ipc(config(profile, "good-" + text)).connectTo("srv", path().toString(), cl -> cl
            .onConnect(up::countDown).on("pong", d -> got.add("pong " + d.asString())));
        assertThat(up.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("good client connected").isTrue();
        c.emit("ping", text);
        got.awaitLine("pong " + text, WAIT);
    }

    static long count(List<String> lines, String line) {
        return lines.stream().filter(line::equals).count();
    }

    static List<String> errors(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("error ")).toList();
    }

    // ------------------------------------------------------------------ the matrix

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @MethodSource("matrix")
    void hostilePeerIsContainedAndServerKeepsServing(ParserProfile profile, String transport, Attack attack)
        throws Exception {
        this.transport = transport;
        Recorder ev = new Recorder();
        AtomicReference<IpcSocket> first = new AtomicReference<>();
        server(profile, ev, first);
        RawPeer hostile = raw(true);
        ev.awaitLine("connect", WAIT);

        long sent = System.nanoTime();
        attack.sender().send(hostile, profile);
        Code expected = attack.expected().apply(profile);
        if (expected != null) {
            ev.awaitLine("error " + expected + " hostile", WAIT);
        } else {
            String prefix = "msg " + attack.deliveredType() + " ";
            ev.await(l -> l.stream().anyMatch(x -> x.startsWith(prefix)), WAIT, "delivery of " + attack.deliveredType());
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        if (expected == ERR_IPC_MESSAGE_TIMEOUT) {
            assertThat(tookMillis).as("refused only after messageTimeout").isGreaterThanOrEqualTo(MESSAGE_TIMEOUT.toMillis() - 50);
        }

        boolean closes = expected != null && profile != ParserProfile.FAST;
        if (closes) {
            assertThat(hostile.awaitClosed(WAIT)).as("hostile connection closed by the server").isTrue();
            ev.awaitLine("socket.disconnected", WAIT);
        } else {
            // still open and in sync: a good frame on the same connection is delivered
            hostile.send(attack.resync() + "{\"type\":\"msg\",\"data\":\"after\"}\f");
            ev.awaitLine("msg msg \"after\"", WAIT);
            assertThat(hostile.closedByPeer()).as("hostile connection kept open under " + profile).isFalse();
            assertThat(first.get().isOpen()).isTrue();
        }

        roundTrip(profile, "hello");

        List<String> lines = ev.lines();
        assertThat(errors(lines)).as("error events")
            .containsExactlyElementsOf(expected == null ? List.of() : List.of("error " + expected + " hostile"));
        assertThat(count(lines, "start")).as("start fired once, by the real start").isEqualTo(1);
        assertThat(count(lines, "connect")).as("connect fired once per real connection").isEqualTo(2);
        assertThat(count(lines, "socket.disconnected")).as("socket.disconnected only for a real close")
            .isEqualTo(closes ? 1 : 0);
        assertThat(count(lines, "lifecycle data")).as("data (raw mode only) never fires").isZero();
        if (expected == null && LIFECYCLE_NAMES.contains(attack.deliveredType())) {
            assertThat(lines).as("a wire lifecycle name reaches only its message handler")
                .contains("wire " + attack.deliveredType());
        }
        if (expected != null) {
            assertThat(lines).as("a refused frame is never delivered")
                .noneMatch(l -> l.startsWith("wire ") || (l.startsWith("msg ") && !l.equals("msg msg \"after\"")
                    && !l.startsWith("msg ping ")));
        }
    }

    // ------------------------------------------------------------------ send-side rules

    static Stream<String> reservedNames() {
        return Stream.concat(LIFECYCLE_NAMES.stream(), Stream.of("__proto__", "constructor", "toString", "hasOwnProperty"));
    }

    /** Server and client under {@code profile}; returns the server's socket for the client. */
    record Pair(IpcServer server, IpcSocket socket, IpcClient client, Recorder clientEvents) {
    }

    Pair pair(ParserProfile profile, java.util.function.UnaryOperator<IpcConfig.Builder> tweak) throws Exception {
        CountDownLatch serverSaw = new CountDownLatch(1);
        AtomicReference<IpcSocket> sock = new AtomicReference<>();
        IpcServer s = ipc(tweak.apply(config(profile, "srv"))).serve(path().toString())
            .onConnect(x -> {
                sock.set(x);
                serverSaw.countDown();
            })
            .on("ping", (data, x) -> x.emit("pong", data))
            .start();
        Recorder ce = new Recorder();
        IpcClient c = ipc(tweak.apply(config(profile, "cl"))).connectTo("srv", path().toString(), cl -> cl
            .onConnect(() -> ce.add("connect"))
            .onDisconnect(() -> ce.add("disconnect"))
            .onDestroy(() -> ce.add("destroy"))
            .onError(e -> ce.add(Hardening.describe(e)))
            .onAny((type, data) -> ce.add("msg " + type + " " + data)));
        assertThat(serverSaw.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        ce.awaitLine("connect", WAIT);
        return new Pair(s, sock.get(), c, ce);
    }

    void assertStillServes(Pair p, String text) {
        p.client().emit("ping", text);
        p.clientEvents().awaitLine("msg pong \"" + text + "\"", WAIT);
    }

    @Test
    void assuredRefusesToSendEventsOutsideAllowedEvents() throws Exception {
        Pair p = pair(ParserProfile.ASSURED, b -> b);
        assertThat(codeOf(failureOf(() -> p.server().emit(p.socket(), "other", 1)))).isEqualTo(ERR_IPC_EVENT_NOT_ALLOWED);
        assertThat(codeOf(failureOf(() -> p.socket().emit("other", 1)))).isEqualTo(ERR_IPC_EVENT_NOT_ALLOWED);
        assertThat(codeOf(failureOf(() -> p.socket().emit("other")))).isEqualTo(ERR_IPC_EVENT_NOT_ALLOWED);
        assertThat(codeOf(failureOf(() -> {
            p.server().broadcast("other", 1);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }))).as("broadcast of a type outside allowedEvents").isEqualTo(ERR_IPC_EVENT_NOT_ALLOWED);
        assertThat(codeOf(failureOf(() -> p.client().emit("other", 1)))).isEqualTo(ERR_IPC_EVENT_NOT_ALLOWED);
        // a refused send is local: nothing went out, the connection is fine
        assertStillServes(p, "still");
        assertThat(p.clientEvents().lines()).noneMatch(l -> l.startsWith("msg other") || l.startsWith("error"))
            .doesNotContain("disconnect");
    }

    @Test
    void guardedAndAssuredRefuseToSendReservedNames() throws Exception {
        Pair p = pair(ParserProfile.GUARDED, b -> b);
        for (String name : reservedNames().toList()) {
            assertThat(codeOf(failureOf(() -> p.server().emit(p.socket(), name, 1)))).as("server emit %s", name)
                .isEqualTo(ERR_IPC_RESERVED_EVENT);
            assertThat(codeOf(failureOf(() -> p.client().emit(name, 1)))).as("client emit %s", name)
                .isEqualTo(ERR_IPC_RESERVED_EVENT);
        }
        assertThat(codeOf(failureOf(() -> p.socket().emit("n".repeat(257), 1)))).isEqualTo(ERR_IPC_EVENT_TOO_LARGE);
        assertStillServes(p, "ok");
        assertThat(p.clientEvents().lines()).containsExactly("connect", "msg pong \"ok\"");
    }

    @Test
    void assuredRefusesToSendReservedNamesEvenWhenAllowListed() throws Exception {
        Pair p = pair(ParserProfile.ASSURED, b -> b.allowedEvents("msg", "ping", "pong", "connect", "error"));
        assertThat(codeOf(failureOf(() -> p.socket().emit("connect", 1)))).isEqualTo(ERR_IPC_RESERVED_EVENT);
        assertThat(codeOf(failureOf(() -> p.client().emit("error", 1)))).isEqualTo(ERR_IPC_RESERVED_EVENT);
        assertStillServes(p, "ok");
    }

    /**
     * Where sending a lifecycle name is allowed (FAST, or GUARDED with allowReservedEvents), the receiving
     * jipc client gets it as an ordinary message: its own connect/disconnect/destroy/error never fire.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("permissive")
    void wireLifecycleNamesNeverFireClientLifecycle(String label, ParserProfile profile, boolean allowReserved)
        throws Exception {
        Pair p = pair(profile, b -> b.allowReservedEvents(allowReserved));
        List<String> names = reservedNames().toList();
        for (String name : names) {
            assertThat(failureOf(() -> p.socket().emit(name, "spoof"))).as("emit %s", name).isNull();
        }
        assertStillServes(p, "end");
        List<String> lines = p.clientEvents().lines();
        List<String> expected = new ArrayList<>();
        expected.add("connect");
        names.forEach(n -> expected.add("msg " + n + " \"spoof\""));
        expected.add("msg pong \"end\"");
        assertThat(lines).containsExactlyElementsOf(expected);
        assertThat(p.client().isConnected()).isTrue();
    }

    static Stream<Arguments> permissive() {
        return Stream.of(Arguments.of("FAST", ParserProfile.FAST, false),
            Arguments.of("GUARDED allowReservedEvents", ParserProfile.GUARDED, true));
    }

    @Test
    void guardedWithAllowReservedEventsDeliversWireLifecycleNamesAsMessages() throws Exception {
        Recorder ev = new Recorder();
        AtomicReference<IpcSocket> first = new AtomicReference<>();
        IpcServer s = ipc(config(ParserProfile.GUARDED, "srv").allowReservedEvents(true)).serve(path().toString())
            .onConnect(x -> {
                first.compareAndSet(null, x);
                ev.add("connect");
            })
            .onSocketDisconnected((x, id) -> ev.add("socket.disconnected"))
            .onError((e, x) -> ev.add(Hardening.describe(e)))
            .onAny((type, data, x) -> ev.add("msg " + type));
        s.start();
        RawPeer hostile = raw(true);
        ev.awaitLine("connect", WAIT);
        StringBuilder frames = new StringBuilder();
        for (String name : Arrays.asList("connect", "error", "socket.disconnected", "close", "__proto__")) {
            frames.append("{\"type\":\"").append(name).append("\",\"data\":1}\f");
        }
        hostile.send(frames.toString());
        ev.awaitLine("msg __proto__", WAIT);
        assertThat(ev.lines()).containsExactly("connect", "msg connect", "msg error", "msg socket.disconnected",
            "msg close", "msg __proto__");
        assertThat(hostile.closedByPeer()).isFalse();
    }
}
