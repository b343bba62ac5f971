package io.jipc.internal.udp;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The peers a UDP endpoint knows: everyone who sent to it or was sent to. Bounded: holds at most
 * {@code maxPeers} (the least recently active is forgotten first) and forgets peers idle longer than
 * {@code idleNanos}. node-ipc 14 never prunes its table; 9–12 have none (and so cannot broadcast).
 * Thread-safe (synchronised; touched once per datagram).
 */
final class UdpPeerTable {
    private final int maxPeers;
    private final long idleNanos;
    private final Consumer<UdpPeer> onForget;
    private final Map<InetSocketAddress, UdpPeer> peers = new LinkedHashMap<>(16, 0.75f, true);

    UdpPeerTable(int maxPeers, long idleNanos, Consumer<UdpPeer> onForget) {
        this.maxPeers = maxPeers;
        this.idleNanos = idleNanos;
        this.onForget = onForget;
    }

    /** @return the peer for {@code address}, created if new; marks it active now */
    synchronized UdpPeer touch(Channel channel, InetSocketAddress address, long now) {
        UdpPeer p = peers.get(address);
        if (p == null) {
            expire(now);
            p = new UdpPeer(channel, address, this);
            peers.put(address, p);
        }
        p.lastSeen = now;
        return p;
    }

    /** @return the known peers, least recently active first */
    synchronized List<UdpPeer> snapshot() {
        return new ArrayList<>(peers.values());
    }

    synchronized void forget(UdpPeer p) {
        if (peers.remove(p.address(), p)) {
            onForget.accept(p);
        }
    }

    synchronized void clear() {
        for (UdpPeer p : peers.values()) {
            onForget.accept(p);
        }
        peers.clear();
    }

    private void expire(long now) {
        Iterator<UdpPeer> it = peers.values().iterator();
        while (it.hasNext()) {
            UdpPeer oldest = it.next();
            if (peers.size() < maxPeers && now - oldest.lastSeen < idleNanos) {
                return;
            }
            it.remove();
            onForget.accept(oldest);
        }
    }
}
