package io.jipc.cli;

import io.jipc.Ipc;
import io.jipc.IpcServer;
import io.jipc.NetType;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code jipc connect --udp4|--udp6}: a UDP endpoint of our own on {@code --bind} (0: any port) that
 * sends the emits as datagrams to the target and prints the events it receives. It binds the
 * loopback address when the target is a loopback address, else every address.
 */
final class UdpConnect {
    private UdpConnect() {
    }

    /** @return the exit code */
    static int run(Ipc ipc, Exchange x, Transport transport) {
        HostPort to = transport.address();
        boolean v6 = transport.type() == NetType.UDP6;
        InetAddress address;
        try {
            address = resolve(to.host(), v6);
        } catch (UnknownHostException e) {
            x.lines.err("jipc connect: cannot resolve --host " + to.host() + ": " + Lines.describe(e));
            return 1;
        }
        InetSocketAddress target = new InetSocketAddress(address, to.port());
        HostPort local = new HostPort(address.isLoopbackAddress() ? address.getHostAddress()
            : v6 ? "::" : "0.0.0.0", transport.bind());
        IpcServer endpoint = ipc.serveNet(local.host(), local.port(), transport.type());
        endpoint.onAny((type, data, sender) -> x.receive(type, data));
        endpoint.onError((error, sender) -> x.lines.err("error: " + Lines.describe(error)));
        try {
            endpoint.start();
        } catch (RuntimeException e) {
            x.lines.err("jipc connect: cannot bind " + transport.describe(local) + ": " + Lines.describe(e));
            return 1;
        }
        String name = transport.describe(to);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < x.payloads.size(); i++) {
            try {
                writes.add(endpoint.emit(target, x.types.get(i), x.payloads.get(i)).toCompletableFuture());
            } catch (IllegalArgumentException e) {
                x.lines.err("jipc connect: --emit " + x.types.get(i) + ": " + Lines.describe(e));
                return 2;
            }
        }
        int sent = x.sent(writes, name);
        return sent != 0 ? sent : x.finish(name);
    }

    /** The first address of {@code host} in the wanted family. */
    private static InetAddress resolve(String host, boolean v6) throws UnknownHostException {
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if ((a instanceof Inet6Address) == v6) {
                return a;
            }
        }
        throw new UnknownHostException("no " + (v6 ? "IPv6" : "IPv4") + " address for " + host);
    }
}
