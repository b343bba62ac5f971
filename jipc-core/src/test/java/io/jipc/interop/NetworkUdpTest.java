package io.jipc.interop;

import static io.jipc.interop.InteropCases.T;
import static io.jipc.interop.NetworkSupport.caseType;
import static io.jipc.interop.NetworkSupport.jipc;
import static io.jipc.interop.NetworkSupport.port;
import static io.jipc.interop.NetworkSupport.start;
import static io.jipc.interop.NetworkSupport.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.jipc.Ipc;
import io.jipc.IpcServer;
import io.jipc.NetType;
import io.jipc.PayloadProfile;
import io.jipc.interop.InteropCases.Case;
import io.jipc.interop.InteropCases.Inbox;
import io.jipc.interop.NetworkSupport.CaseInbox;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import tools.jackson.databind.JsonNode;

/**
 * jipc UDP endpoints ↔ real node-ipc UDP endpoints (9.2.1, @achrinza 10.1.11, 14.0.0) on udp4
 * (127.0.0.1) and udp6 (::1). node-ipc has no UDP client: both sides are {@code serveNet(host, port,
 * 'udp4'|'udp6')} endpoints that emit to an address and reply to the sender (research §1.6); peer.js's
 * "client" role is such an endpoint on {@code --local-port} emitting to the target.
 *
 * <p>Each payload case travels as its own type {@code c<i>} and is matched by index, and the
 * {@code seq} messages are compared as a set: UDP promises no order (loopback happens to keep it).
 */
@Timeout(60)
class NetworkUdpTest {
    private static final int K = 20;

    static Stream<Arguments> combos() {
        List<Arguments> l = new ArrayList<>();
        for (NetType type : List.of(NetType.UDP4, NetType.UDP6)) {
            for (Lib lib : Lib.values()) {
                l.add(Arguments.of(type, lib));
            }
        }
        return l.stream();
    }

    private static String host(NetType type) {
        return type == NetType.UDP4 ? "127.0.0.1" : "::1";
    }

    private static Transport transport(NetType type) {
        return type == NetType.UDP4 ? Transport.UDP4 : Transport.UDP6;
    }

    private static InetSocketAddress address(String host, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** A jipc UDP endpoint recording what arrives (case types by index, others by type) and from where. */
    private static final class JipcUdp implements AutoCloseable {
        final Ipc ipc;
        final IpcServer server;
        final CaseInbox cases;
        final Inbox<JsonNode> seq = new Inbox<>();
        final Inbox<String> types = new Inbox<>();
        final Inbox<SocketAddress> senders = new Inbox<>();
        final List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

        JipcUdp(NetType type, Lib lib, int caseCount, boolean reply) {
            ipc = jipc("udp", InteropCases.profileOf(lib), null);
            cases = new CaseInbox(caseCount);
            server = ipc.serveNet(host(type), 0, type).onError((e, s) -> errors.add(e)).onAny((t, d, s) -> {
                senders.accept(s.remoteAddress());
                if (t.equals("seq")) {
                    seq.accept(d);
                } else if (t.startsWith("c")) {
                    cases.accept(t, d);
                }
                types.accept(t);
                if (reply) {
                    s.emit(t, d); // reply to the sender
                }
            });
            start(ipc, server);
        }

        @Override
        public void close() {
            ipc.close();
        }
    }

    /** jipc emits to a node endpoint's address; node replies to the sender (its {@code rinfo} / peer record). */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("combos")
    void jipcEmitsToNodeWhichRepliesToTheSender(NetType type, Lib lib) throws Exception {
        String host = host(type);
        PayloadProfile profile = InteropCases.profileOf(lib);
        List<Case> cases = InteropCases.all();
        int nodePort = NetworkSupport.freeUdpPort(host);
        try (NodePeer node = NetworkSupport.server(lib, transport(type), host, nodePort, "--echo");
                JipcUdp jipc = new JipcUdp(type, lib, cases.size(), false)) {
            assertBound(node, host, nodePort);
            int jipcPort = port(jipc.server);
            InetSocketAddress nodeAddr = address(host, nodePort);

            for (int i = 0; i < cases.size(); i++) {
                jipc.server.emit(nodeAddr, caseType(i), cases.get(i).value());
            }
            List<JsonNode> atNode = node.awaitMessages(cases.size(), T);
            assertThat(reprsByCase(atNode)).as("what the %s %s endpoint received from jipc", lib, type)
                .isEqualTo(texts(cases, c -> c.sentBy(profile)));
            for (JsonNode m : atNode) {
                assertFrom(m, host, jipcPort);
            }
            InteropCases.assertJson(jipc.cases.await(), texts(cases, c -> c.afterBothHops(lib, profile)),
                "replies of the " + lib + " endpoint at jipc");
            assertThat(jipc.senders.snapshot()).as("senders seen by jipc").containsOnly(nodeAddr);

            for (int i = 0; i < K; i++) {
                jipc.server.emit(nodeAddr, "seq", InteropCases.JSON.createObjectNode().put("seq", i).put("text", "u" + i));
            }
            assertThat(node.awaitMessages(K, T).stream().map(m -> m.path("repr").asString()).toList())
                .as("seq at node").containsExactlyInAnyOrderElementsOf(seqReprs());
            assertThat(jipc.seq.await(K, T).stream().map(JsonNode::toString).toList())
                .as("seq replies at jipc").containsExactlyInAnyOrderElementsOf(seqReprs());

            // node's broadcast: 9.x/10.x loop over sockets from index 1, where only the dgram socket is
            // (index 0): it reaches nobody; 14 reaches every peer that sent to it (research §1.6).
            node.command(Map.of("cmd", "broadcast", "type", "bc", "data", Map.of("n", 1)), T);
            node.command(Map.of("cmd", "emit", "type", "marker", "data", 1), T); // to every sender: jipc
            jipc.types.awaitItem("marker", T);
            if (lib.legacy()) {
                assertThat(jipc.types.snapshot()).as("%s broadcast reached nobody", lib).doesNotContain("bc");
            } else {
                assertThat(jipc.types.snapshot()).as("14 broadcast reached jipc before the marker").contains("bc");
            }
            assertThat(jipc.errors).isEmpty();
        }
    }

    /** A node endpoint emits to jipc's address; jipc replies with {@code socket.emit} and broadcasts. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("combos")
    void nodeEmitsToJipcWhichRepliesToTheSender(NetType type, Lib lib) throws Exception {
        String host = host(type);
        PayloadProfile profile = InteropCases.profileOf(lib);
        List<Case> cases = InteropCases.all();
        int nodePort = NetworkSupport.freeUdpPort(host);
        try (JipcUdp jipc = new JipcUdp(type, lib, cases.size(), true)) {
            int jipcPort = port(jipc.server);
            try (NodePeer node = NetworkSupport.client(lib, transport(type), host, jipcPort, "--local-port=" + nodePort)) {
                assertBound(node, host, nodePort);
                InetSocketAddress nodeAddr = address(host, nodePort);

                for (JsonNode cmd : NetworkSupport.nodeEmits(cases)) {
                    node.command(cmd, T);
                }
                InteropCases.assertJson(jipc.cases.await(), texts(cases, c -> c.sentBy(lib)),
                    "what jipc received from the " + lib + " " + type + " endpoint");
                assertThat(jipc.senders.snapshot()).as("senders seen by jipc").containsOnly(nodeAddr);
                List<JsonNode> replies = node.awaitMessages(cases.size(), T);
                assertThat(reprsByCase(replies)).as("jipc's replies at the %s endpoint", lib)
                    .isEqualTo(texts(cases, c -> c.afterBothHops(lib, profile)));
                for (JsonNode m : replies) {
                    assertFrom(m, host, jipcPort);
                }

                node.command(Map.of("cmd", "emitRepeat", "type", "seq", "count", K, "dataPrefix", "u"), T);
                assertThat(jipc.seq.await(K, T).stream().map(JsonNode::toString).toList())
                    .as("seq at jipc").containsExactlyInAnyOrderElementsOf(seqReprs());
                assertThat(node.awaitMessages(K, T).stream().map(m -> m.path("repr").asString()).toList())
                    .as("seq replies at node").containsExactlyInAnyOrderElementsOf(seqReprs());

                // jipc's broadcast reaches every peer it has heard from
                jipc.server.broadcast("news", Map.of("text", "é😀\u2028"));
                JsonNode news = node.awaitMessages(1, T).get(0);
                assertThat(news.path("type").asString()).isEqualTo("news");
                assertThat(news.path("data")).isEqualTo(InteropCases.parse("{\"text\":\"é😀\u2028\"}"));
                assertFrom(news, host, jipcPort);
                assertThat(jipc.errors).isEmpty();
            }
        }
    }

    /** udp4 with host ::1 binds 127.0.0.1, in node-ipc ({@code services/IPC.js}) and in jipc alike. */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void udp4WithAnIpv6HostBindsIpv4Loopback(Lib lib) throws Exception {
        int nodePort = NetworkSupport.freeUdpPort("127.0.0.1");
        try (NodePeer node = NetworkSupport.server(lib, Transport.UDP4, "::1", nodePort, "--echo");
                JipcUdp jipc = new JipcUdp(NetType.UDP4, lib, 1, false)) {
            assertBound(node, "127.0.0.1", nodePort);
            assertThat(((InetSocketAddress) jipc.server.localAddress()).getAddress())
                .isEqualTo(InetAddress.getByName("127.0.0.1"));
            jipc.server.emit(address("127.0.0.1", nodePort), caseType(0), Map.of("v4", true));
            JsonNode m = node.awaitMessages(1, T).get(0);
            assertFrom(m, "127.0.0.1", port(jipc.server));
            assertThat(jipc.cases.await()).containsExactly(InteropCases.parse("{\"v4\":true}"));
        }
    }

    // ------------------------------------------------------------------------------------------

    private static List<String> seqReprs() {
        return IntStream.range(0, K).mapToObj(i -> "{\"seq\":" + i + ",\"text\":\"u" + i + "\"}").toList();
    }

    /** The repr of case messages, ordered by their {@code c<i>} type. */
    private static List<String> reprsByCase(List<JsonNode> msgs) {
        String[] out = new String[msgs.size()];
        for (JsonNode m : msgs) {
            int i = NetworkSupport.caseIndex(m.path("type").asString());
            assertThat(out[i]).as("case %d twice", i).isNull();
            out[i] = m.path("repr").asString();
        }
        return List.of(out);
    }

    private static void assertFrom(JsonNode message, String host, int port) {
        JsonNode from = message.path("from");
        assertThat(from.path("address").asString()).as("sender address of %s", message).isEqualTo(host);
        assertThat(from.path("port").asInt()).as("sender port of %s", message).isEqualTo(port);
    }

    private static void assertBound(NodePeer node, String host, int port) {
        JsonNode ready = node.history().stream().filter(e -> "ready".equals(e.path("event").asString()))
            .findFirst().orElseThrow();
        assertThat(ready.path("bound").path("address").asString()).as("node bound: %s", ready).isEqualTo(host);
        assertThat(ready.path("bound").path("port").asInt()).as("node bound: %s", ready).isEqualTo(port);
    }
}
