package io.jipc.interop;

import static io.jipc.interop.InteropCases.T;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.PayloadProfile;
import io.jipc.TlsOptions;
import io.jipc.interop.InteropCases.Case;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import io.jipc.testing.TempSockets;
import tools.jackson.databind.JsonNode;

/** Helpers for the TCP / TLS / UDP interop tests ({@code Network*Test}): ports, jipc instances, peers. */
final class NetworkSupport {
    private NetworkSupport() {
    }

    /** A jipc instance for network use: silent, retry 100 ms, no reconnect storms; TLS when {@code tls} is set. */
    static Ipc jipc(String id, PayloadProfile profile, TlsOptions tls) {
        IpcConfig.Builder b = IpcConfig.builder(profile).id(id).silent(true).retry(100);
        if (tls != null) {
            b.tls(tls);
        }
        return new Ipc(b.build());
    }

    /** Starts {@code server}; closes {@code ipc} (non-daemon threads) if that fails. */
    static IpcServer start(Ipc ipc, IpcServer server) {
        try {
            return server.start();
        } catch (RuntimeException | Error e) {
            ipc.close();
            throw e;
        }
    }

    /** The port a started jipc server is bound to. */
    static int port(IpcServer server) {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The port a node peer was started with (the part after the last ':' of its endpoint). */
    static int portOf(NodePeer peer) {
        String e = peer.endpoint();
        return Integer.parseInt(e.substring(e.lastIndexOf(':') + 1));
    }

    /** A currently free TCP port on 127.0.0.1 (node-ipc cannot listen on port 0). */
    static int freeTcpPort() {
        return TempSockets.freeTcpPort();
    }

    /** A currently free UDP port on {@code host} (bind to 0, read it, release it). */
    static int freeUdpPort(String host) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free UDP port on " + host, e);
        }
    }

    /** {@code host:port}, bracketing IPv6 literals, as {@link NodePeer} takes it. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Starts a node peer and waits for its {@code ready} (closing it if that fails). */
    static NodePeer server(Lib lib, Transport t, String host, int port, String... args) {
        return InteropCases.started(NodePeer.server(lib, t, hostPort(host, port), args), "ready");
    }

    /** Starts a node client peer (for UDP: an endpoint emitting to host:port) and waits for {@code ready}. */
    static NodePeer client(Lib lib, Transport t, String host, int port, String... args) {
        return InteropCases.started(NodePeer.client(lib, t, hostPort(host, port), args), "ready");
    }

    /** The wire type used for case {@code i} ("c0", "c1", …): lets unordered transports be matched up. */
    static String caseType(int i) {
        return "c" + i;
    }

    /** Index of a {@link #caseType(int)} type. */
    static int caseIndex(String type) {
        if (!type.startsWith("c")) {
            throw new AssertionError("unexpected message type " + type);
        }
        return Integer.parseInt(type.substring(1));
    }

    /** Expected texts of {@code cases}, in order. */
    static List<String> texts(List<Case> cases, Function<Case, String> f) {
        return InteropCases.texts(cases, f);
    }

    /** Concatenates the {@code hex} of raw {@code data} events until {@code bytes} bytes arrived. */
    static byte[] rawBytes(NodePeer peer, int bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (out.size() < bytes) {
            byte[] chunk = HexFormat.of().parseHex(peer.awaitEvent("data", T).path("hex").asString());
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    /** The frames jipc writes for {@code cases} (as {@code c<i>} types) under {@code profile}, concatenated. */
    static String caseFrames(List<Case> cases, PayloadProfile profile) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cases.size(); i++) {
            sb.append(InteropCases.frame(caseType(i), cases.get(i).sentBy(profile)));
        }
        return sb.toString();
    }

    /** The peer.js commands that make a node peer emit {@code cases} as {@code c<i>} types. */
    static List<JsonNode> nodeEmits(List<Case> cases) {
        List<JsonNode> l = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            l.add(cases.get(i).nodeEmit(caseType(i)));
        }
        return l;
    }

    /** Thread-safe slot array for messages that arrive as {@code c<i>} types. */
    static final class CaseInbox {
        private final JsonNode[] slots;
        private final List<String> extra = new ArrayList<>();
        private int filled;

        CaseInbox(int n) {
            slots = new JsonNode[n];
        }

        synchronized void accept(String type, JsonNode data) {
            int i;
            try {
                i = caseIndex(type);
            } catch (RuntimeException | AssertionError e) {
                extra.add(type);
                notifyAll();
                return;
            }
            if (i >= slots.length || slots[i] != null) {
                extra.add(type + " (again)");
            } else {
                slots[i] = data;
                filled++;
            }
            notifyAll();
        }

        /** Waits until every slot is filled; returns them in case order. */
        synchronized List<JsonNode> await() {
            long deadline = System.nanoTime() + T.toNanos();
            while (filled < slots.length) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    List<Integer> missing = new ArrayList<>();
                    for (int i = 0; i < slots.length; i++) {
                        if (slots[i] == null) {
                            missing.add(i);
                        }
                    }
                    throw new AssertionError("cases " + missing + " did not arrive within " + T + "; extra: " + extra);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            if (!extra.isEmpty()) {
                throw new AssertionError("unexpected messages: " + extra);
            }
            return List.of(slots);
        }
    }
}
