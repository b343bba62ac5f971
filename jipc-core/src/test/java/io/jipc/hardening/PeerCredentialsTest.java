package io.jipc.hardening;

import static io.jipc.IpcProtocolException.Code.ERR_IPC_UNAUTHORIZED;
import static io.jipc.hardening.Hardening.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import io.jipc.PeerCredentials;
import io.jipc.Recorder;
import io.netty.channel.epoll.Epoll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link IpcSocket#peerCredentials()} reports who is on the other end of a Unix socket, and
 * {@link IpcServer#authorize} can refuse a peer before any event about it is delivered. The peer here
 * is always this very process, so the expected uid/gid/pid are this process's own: uid and gid are read
 * as the owner of {@code /proc/self}, the pid from {@link ProcessHandle}.
 */
@Timeout(30)
class PeerCredentialsTest extends RawPeerTestBase {



    Ipc ipc(String id, boolean nativeTransport) {
        Ipc ipc = new Ipc(IpcConfig.builder().id(id).socketRoot(dir + "/").appspace("t.").silent(true).retry(50)
            .maxRetries(0).preferNativeTransport(nativeTransport).build());
        instances.add(ipc);
        assertThat(ipc.transport()).isEqualTo(nativeTransport ? "epoll" : "nio");
        return ipc;
    }

    static Stream<Arguments> transports() {
        return Epoll.isAvailable() ? Stream.of(Arguments.of("epoll"), Arguments.of("nio")) : Stream.of(Arguments.of("nio"));
    }

    /** Starts a server whose connect handler hands over the credentials it saw. */
    PeerCredentials credentialsSeenByServer(boolean nativeTransport) throws Exception {
        AtomicReference<PeerCredentials> seen = new AtomicReference<>();
        CountDownLatch connected = new CountDownLatch(1);
        ipc("srv", nativeTransport).serve(path().toString())
            .onConnect(s -> {
                seen.set(s.peerCredentials());
                connected.countDown();
            })
            .start();
        peers.add(RawPeer.connect(path(), true));
        assertThat(connected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return seen.get();
    }

    static int myUid() throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    static int myGid() throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
    }

    @Test
    void epollReportsThisProcessesUidGidAndPid() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "native epoll not available here");
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/self")), "no /proc: cannot read this process's uid");
        PeerCredentials c = credentialsSeenByServer(true);
        assertThat(c).as("peer credentials on epoll").isNotNull();
        assertThat(c.uid()).isEqualTo(myUid());
        assertThat(c.gid()).isEqualTo(myGid());
        assertThat(c.pid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void nioReportsThisProcessesUserName() throws Exception {
        PeerCredentials c = credentialsSeenByServer(false);
        assertThat(c).as("peer credentials on NIO").isNotNull();
        String user = System.getProperty("user.name");
        assertThat(c.user()).isIn(user, String.valueOf(myUid()));
        assertThat(c.group()).isNotNull();
        assertThat(c.pid()).as("NIO does not report the pid").isEqualTo(-1);
    }

    /** How each refusing hook is written. */
    static Stream<Arguments> refusers() {
        List<Arguments> list = new ArrayList<>();
        for (Arguments t : transports().toList()) {
            String tr = (String) t.get()[0];
            list.add(Arguments.of(tr, "returns false", (Predicate<IpcSocket>) s -> false));
            list.add(Arguments.of(tr, "throws", (Predicate<IpcSocket>) s -> {
                throw new IllegalStateException("hook failed");
            }));
            list.add(Arguments.of(tr, "wrong uid", (Predicate<IpcSocket>) s ->
                s.peerCredentials() != null && s.peerCredentials().uid() == 12345));
        }
        return list.stream();
    }

    /**
     * A refused peer gets no {@code connect}, no message, no {@code socket.disconnected}: only an
     * {@code ERR_IPC_UNAUTHORIZED} error. The raw peer sends a message right after connecting (so it is
     * in flight while the hook runs) and then sees its connection closed.
     */
    @ParameterizedTest(name = "{0}: hook {1}")
    @MethodSource("refusers")
    void refusedPeersGetNoEventsAndAreClosed(String transport, String label, Predicate<IpcSocket> hook) throws Exception {
        Recorder ev = new Recorder();
        Ipc server = ipc("srv", transport.equals("epoll"));
        IpcServer s = server.serve(path().toString())
            .authorize(hook)
            .onConnect(x -> ev.add("connect"))
            .onSocketDisconnected((x, id) -> ev.add("socket.disconnected"))
            .onAny((type, data, x) -> ev.add("msg " + type))
            .onError((e, x) -> ev.add(Hardening.describe(e)))
            .start();
        RawPeer peer = RawPeer.connect(path(), true);
        peers.add(peer);
        try {
            peer.send("{\"type\":\"hello\",\"data\":{\"id\":\"intruder\"}}\f");
        } catch (java.io.UncheckedIOException e) {
            // the server may close the refused connection before this write: then there is nothing in flight
        }
        ev.awaitLine("error " + ERR_IPC_UNAUTHORIZED, WAIT);
        assertThat(peer.awaitClosed(WAIT)).as("refused peer sees its connection closed").isTrue();

        // a jipc client is refused the same way: it may see its socket open, but it is closed at once
        Recorder ce = new Recorder();
        IpcClient c = ipc("cl", transport.equals("epoll")).connectTo("srv", path().toString(), cl -> cl
            .onDisconnect(() -> ce.add("disconnect"))
            .onDestroy(() -> ce.add("destroy")));
        c.emit("hello", "x");
        ce.awaitLine("destroy", WAIT);
        ev.await(l -> l.stream().filter(("error " + ERR_IPC_UNAUTHORIZED)::equals).count() == 2, WAIT, "second refusal");

        // stopping the server flushes every event still due; nothing but the two refusals may show up
        s.stop();
        assertThat(ev.lines()).containsExactly("error " + ERR_IPC_UNAUTHORIZED, "error " + ERR_IPC_UNAUTHORIZED);
        assertThat(s.sockets()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void acceptingHookLetsThePeerIn(String transport) throws Exception {
        boolean nat = transport.equals("epoll");
        Recorder ev = new Recorder();
        List<PeerCredentials> checked = new java.util.concurrent.CopyOnWriteArrayList<>();
        int uid = myUid();
        String user = System.getProperty("user.name");
        ipc("srv", nat).serve(path().toString())
            .authorize(s -> {
                PeerCredentials p = s.peerCredentials();
                checked.add(p);
                // a realistic policy: only this user (by uid on epoll, by name on NIO)
                return p != null && (p.uid() == uid || user.equals(p.user()));
            })
            .onConnect(x -> ev.add("connect"))
            .on("ping", (d, x) -> x.emit("pong", d))
            .onSocketDisconnected((x, id) -> ev.add("socket.disconnected"))
            .onError((e, x) -> ev.add(Hardening.describe(e)))
            .start();
        Recorder got = new Recorder();
        Ipc cl = ipc("cl", nat);
        IpcClient c = cl.connectTo("srv", path().toString(), x -> x.on("pong", d -> got.add("pong " + d.asString())));
        c.emit("ping", "hi");
        got.awaitLine("pong hi", WAIT);
        assertThat(checked).hasSize(1);
        cl.disconnect("srv").get(10, TimeUnit.SECONDS);
        ev.awaitLine("socket.disconnected", WAIT);
        assertThat(ev.lines()).containsExactly("connect", "socket.disconnected");
    }
}
