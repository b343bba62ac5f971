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
 * loopback address when the target is a loopback address, else every address. UDP has no connection,
 * so {@code --lifecycle} prints only the endpoint's {@code error} events.
 */
final class UdpConnect {
    private UdpConnect() {
    }

    /** @return the exit code */
    static int run(Ipc ipc, Exchange x, Transport transport, Lifecycle lifecycle) {
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
        if (ipc.config().rawBuffer()) {
            endpoint.onData((bytes, sender) -> x.receiveLine(lifecycle.dataLine(bytes, null)));
        } else {
            endpoint.onAny((type, data, sender) -> x.receive(type, data));
        }
        endpoint.onError((error, sender) -> {
            if (lifecycle.on()) {
                lifecycle.error(error, null);
            } else {
                x.lines.err("error: " + Lines.describe(error));
            }
        });
        try {
            endpoint.start();
        } catch (RuntimeException e) {
            x.lines.err("jipc connect: cannot bind " + transport.describe(local) + ": " + Lines.describe(e));
            return 1;
        }
        String name = transport.describe(to);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Exchange.Emit e : x.emits) {
            try {
                writes.add((e.isRaw() ? endpoint.emit(target, e.bytes()) : endpoint.emit(target, e.type(), e.data()))
                    .toCompletableFuture());
            } catch (IllegalArgumentException ex) {
                x.lines.err("jipc connect: " + e.label() + ": " + Lines.describe(ex));
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
