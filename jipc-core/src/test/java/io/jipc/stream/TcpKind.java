package io.jipc.stream;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcServer;
import io.jipc.testing.TempSockets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Endpoint naming for TCP runs of the contract: each name gets a free loopback port on first use. */
final class TcpKind {
    private final String host;
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();

    TcpKind(String host) {
        this.host = host;
    }

    int port(String name) {
        return ports.computeIfAbsent(name, n -> TempSockets.freeTcpPort());
    }

    IpcServer serve(Ipc ipc, String name) {
        return ipc.serveNet(host, port(name));
    }

    IpcClient connect(Ipc ipc, String id, String name, Consumer<IpcClient> setup) {
        return ipc.connectToNet(id, host, port(name), setup);
    }

    static boolean hasIpv6Loopback() {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress("::1", 0));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
