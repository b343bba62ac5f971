package io.jipc.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.jipc.udp.Datagrams.concat;
import static io.jipc.udp.Datagrams.send;
import static io.jipc.udp.Datagrams.utf8;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.IpcProtocolException;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import io.jipc.NetType;
import io.jipc.Recorder;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * UDP endpoints (node-ipc {@code serveNet(host, port, 'udp4'|'udp6')}, research §1.6, node-ipc 14
 * semantics), written once and run per channel flavour; every case runs on udp4 (127.0.0.1) and udp6
 * (::1). A "client" is just another UDP endpoint, as in node-ipc; raw {@link DatagramSocket}s craft
 * datagrams jipc itself would never send.
 */
@Timeout(60)
abstract class UdpContractTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    final List<Ipc> instances = new ArrayList<>();
    final List<DatagramSocket> rawSockets = new ArrayList<>();

    /** @return whether this run uses the native transport */
    abstract boolean preferNative();

    /** @return the transport name the instances must report */
    abstract String expectedTransport();

    @AfterEach
    void closeAll() {
        rawSockets.forEach(DatagramSocket::close);
        instances.forEach(Ipc::close);
    }

    Ipc ipc(String id, boolean raw) {
        Ipc ipc = new Ipc(IpcConfig.builder().id(id).silent(true).rawBuffer(raw)
            .preferNativeTransport(preferNative()).build());
        assertThat(ipc.transport()).isEqualTo(expectedTransport());
        instances.add(ipc);
        return ipc;
    }

    static String host(NetType type) {
        if (type == NetType.UDP6) {
            Assumptions.assumeTrue(Datagrams.hasIpv6Loopback(), "no IPv6 loopback here");
            return "::1";
        }
        return "127.0.0.1";
    }

    /** A started endpoint on a free loopback port. */
    IpcServer endpoint(NetType type, String id, boolean raw) {
        IpcServer s = ipc(id, raw).serveNet(host(type), 0, type).start();
        assertThat(s.isUdp()).isTrue();
        return s;
    }

    IpcServer endpoint(NetType type, String id) {
        return endpoint(type, id, false);
    }

    static InetSocketAddress addr(IpcServer s) {
        return (InetSocketAddress) s.localAddress();
    }

    DatagramSocket rawSocket(NetType type) throws Exception {
        DatagramSocket d = new DatagramSocket(new InetSocketAddress(host(type), 0));
        rawSockets.add(d);
        return d;
    }

    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void emitReachesThePeerWhoseSocketRepliesToTheSender(NetType type) throws Exception {
        Recorder got = new Recorder();
        List<SocketAddress> from = new CopyOnWriteArrayList<>();
        IpcServer b = endpoint(type, "b");
        b.on("hello", (data, socket) -> {
            from.add(socket.remoteAddress());
            got.add("b got " + data.asString());
            socket.emit("reply", data.asString() + " world!");
        });
        IpcServer a = endpoint(type, "a");
        a.on("reply", (data, socket) -> {
            from.add(socket.remoteAddress());
            got.add("a got " + data.asString());
        });
        a.emit(addr(b), "hello", "hello").toCompletableFuture().get();
        got.awaitLine("a got hello world!", WAIT);
        assertThat(got.lines()).containsExactly("b got hello", "a got hello world!");
        assertThat(from).containsExactly(addr(a), addr(b));
        assertThat(b.sockets()).extracting(IpcSocket::remoteAddress).containsExactly(addr(a));
        assertThat(a.sockets()).extracting(IpcSocket::remoteAddress).containsExactly(addr(b));
    }

    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void broadcastReachesEverySenderAndNobodyElse(NetType type) throws Exception {
        Recorder got = new Recorder();
        IpcServer b = endpoint(type, "b");
        b.on("join", (data, socket) -> got.add("joined " + data.asInt()));
        List<InetSocketAddress> senders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int k = i;
            IpcServer a = endpoint(type, "a" + i);
            a.on("news", (data, socket) -> got.add("a" + k + " news " + data.asString()));
            a.emit(addr(b), "join", i);
            senders.add(addr(a));
        }
        IpcServer bystander = endpoint(type, "bystander");
        bystander.on("news", (data, socket) -> got.add("bystander news"));
        bystander.on("marker", (data, socket) -> got.add("bystander marker"));
        got.await(l -> l.stream().filter(x -> x.startsWith("joined")).count() == 3, WAIT, "3 joins");
        assertThat(b.sockets()).extracting(s -> s.remoteAddress()).containsExactlyInAnyOrderElementsOf(senders);

        b.broadcast("news", "extra");
        // only now does B learn the bystander; a broadcast reaching it would have come before this
        b.emit(addr(bystander), "marker", null);
        got.await(l -> l.containsAll(List.of("a0 news extra", "a1 news extra", "a2 news extra", "bystander marker")),
            WAIT, "news at every sender and the marker");
        assertThat(got.lines()).doesNotContain("bystander news");
    }

    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void severalFramesInOneDatagramAreAllDeliveredInOrder(NetType type) throws Exception {
        Recorder got = new Recorder();
        IpcServer b = endpoint(type, "b");
        List<SocketAddress> from = new CopyOnWriteArrayList<>();
        b.on("m", (data, socket) -> {
            from.add(socket.remoteAddress());
            got.add("m " + data.asInt());
        });
        DatagramSocket raw = rawSocket(type);
        send(raw, addr(b), utf8("{\"type\":\"m\",\"data\":1}\f{\"type\":\"m\",\"data\":2}\f{\"type\":\"m\",\"data\":3}\f"));
        got.awaitCount(3, WAIT);
        assertThat(got.lines()).containsExactly("m 1", "m 2", "m 3");
        assertThat(from).containsOnly(raw.getLocalSocketAddress());
    }

    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void frameSplitAcrossTwoDatagramsOfOneSenderIsReassembled(NetType type) throws Exception {
        Recorder got = new Recorder();
        IpcServer b = endpoint(type, "b");
        b.on("m", (data, socket) -> got.add("m " + data.get("text").asString()));
        b.onError((e, socket) -> got.add("error " + e.getMessage()));
        DatagramSocket raw = rawSocket(type);
        send(raw, addr(b), utf8("{\"type\":\"m\",\"data\":{\"te"));
        send(raw, addr(b), utf8("xt\":\"joined \u00e9\"}}\f{\"type\":\"m\",\"data\":{\"text\":\"next\"}}\f"));
        got.awaitCount(2, WAIT);
        assertThat(got.lines()).containsExactly("m joined \u00e9", "m next");
    }

    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void malformedDatagramsAreReportedAndTheEndpointKeepsWorking(NetType type) throws Exception {
        Recorder got = new Recorder();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<SocketAddress> from = new CopyOnWriteArrayList<>();
        IpcServer b = endpoint(type, "b");
        b.on("ok", (data, socket) -> got.add("ok " + data.asInt()));
        b.onError((e, socket) -> {
            errors.add(e);
            from.add(socket.remoteAddress());
            got.add(e instanceof IpcProtocolException p ? p.code().name() : "other " + e);
        });
        DatagramSocket raw = rawSocket(type);
        byte[] badUtf8 = concat(utf8("{\"type\":\"ok\",\"data\":\""), new byte[] {(byte) 0xff, (byte) 0xfe}, utf8("\"}\f"));
        List<byte[]> bad = List.of(utf8("{not json\f"), utf8("[1,2,3]\f"), utf8("{\"data\":1}\f"), badUtf8);
        for (int i = 0; i < bad.size(); i++) {
            send(raw, addr(b), bad.get(i));
            send(raw, addr(b), utf8("{\"type\":\"ok\",\"data\":" + i + "}\f"));
        }
        got.awaitLine("ok 3", WAIT);
        assertThat(got.lines()).containsExactly(
            "ERR_IPC_INVALID_JSON", "ok 0",
            "ERR_IPC_INVALID_MESSAGE", "ok 1",
            "ERR_IPC_INVALID_EVENT", "ok 2",
            "ERR_IPC_INVALID_UTF8", "ok 3");
        assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(IpcProtocolException.class));
        assertThat(from).hasSize(4).containsOnly(raw.getLocalSocketAddress());
    }

    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void frameLargerThanOneDatagramIsRefusedAtEmitAndNothingIsSent(NetType type) throws Exception {
        Recorder got = new Recorder();
        IpcServer b = endpoint(type, "b");
        b.onAny((t, data, socket) -> got.add(t));
        IpcServer a = endpoint(type, "a");
        String big = "x".repeat(70_000);
        assertThatThrownBy(() -> a.emit(addr(b), "big", big))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("does not fit one UDP datagram")
            .hasMessageContaining(type == NetType.UDP6 ? "65527" : "65507");
        a.emit(addr(b), "small", 1).toCompletableFuture().get();
        got.awaitLine("small", WAIT);
        assertThat(got.lines()).containsExactly("small");
    }

    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void broadcastOfAFrameLargerThanOneDatagramIsRefused(NetType type) throws Exception {
        Recorder got = new Recorder();
        IpcServer b = endpoint(type, "b");
        b.onAny((t, data, socket) -> got.add(t));
        IpcServer a = endpoint(type, "a");
        a.emit(addr(b), "hello", 1).toCompletableFuture().get(); // b is now one of a's peers
        got.awaitLine("hello", WAIT);
        assertThatThrownBy(() -> a.broadcast("big", "x".repeat(70_000)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("does not fit one UDP datagram");
        a.broadcast("small", 1);
        got.awaitLine("small", WAIT);
        assertThat(got.lines()).containsExactly("hello", "small");
    }

    /** The receive side must take every datagram the send side lets through. */
    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void largestFrameThatFitsOneDatagramArrivesIntact(NetType type) throws Exception {
        Recorder got = new Recorder();
        IpcServer b = endpoint(type, "b");
        b.on("big", (data, socket) -> got.add("big " + data.asString().length()));
        b.on("small", (data, socket) -> got.add("small " + data.asInt()));
        b.onError((e, socket) -> got.add("error " + e.getMessage()));
        IpcServer a = endpoint(type, "a");
        int limit = type == NetType.UDP6 ? 65_527 : 65_507;
        int largest = limit - "{\"type\":\"big\",\"data\":\"\"}\f".length();
        for (int len : new int[] {5_000, largest}) {
            a.emit(addr(b), "big", "y".repeat(len)).toCompletableFuture().get();
            a.emit(addr(b), "small", len).toCompletableFuture().get();
            got.awaitLine("small " + len, WAIT);
        }
        assertThat(got.lines()).containsExactly("big 5000", "small 5000", "big " + largest, "small " + largest);
    }

    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void rawModeDeliversEveryByteValueExactly(NetType type) throws Exception {
        List<byte[]> got = new CopyOnWriteArrayList<>();
        List<SocketAddress> from = new CopyOnWriteArrayList<>();
        Recorder events = new Recorder();
        IpcServer b = endpoint(type, "b", true);
        b.onData((bytes, socket) -> {
            got.add(bytes);
            from.add(socket.remoteAddress());
            events.add("data " + bytes.length);
        });
        IpcServer a = endpoint(type, "a", true);
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        a.emit(addr(b), all).toCompletableFuture().get();
        events.awaitCount(1, WAIT);
        assertThat(events.lines()).containsExactly("data 256");
        assertThat(got.get(0)).isEqualTo(all);
        assertThat(from).containsExactly(addr(a));
    }

    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void stopReleasesThePortForANewBind(NetType type) throws Exception {
        IpcServer b = endpoint(type, "b");
        int port = addr(b).getPort();
        b.stop();
        assertThat(b.isListening()).isFalse();
        assertThat(b.localAddress()).isNull();
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(host(type), port))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        Recorder got = new Recorder();
        IpcServer rebound = ipc("b2", false).serveNet(host(type), port, type).start();
        rebound.on("m", (data, socket) -> got.add("m " + data));
        assertThat(addr(rebound).getPort()).isEqualTo(port);
        endpoint(type, "a").emit(addr(rebound), "m", Map.of("n", 1)).toCompletableFuture().get();
        got.awaitLine("m {\"n\":1}", WAIT);
    }
}
