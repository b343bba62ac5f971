package io.jipc.internal.connection;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Reads {@code SO_PEERCRED} from a Unix-socket channel of either flavour.
 *
 * @param pid   process id or -1
 * @param uid   user id or -1
 * @param gid   group id or -1
 * @param user  user name or null
 * @param group group name or null
 */
public record PeerCreds(long pid, int uid, int gid, String user, String group) {

    /** @return the credentials of {@code ch}'s peer, or {@code null} when it is not a Unix socket or they cannot be read */
    public static PeerCreds of(Channel ch) {
        try {
            if (ch instanceof EpollDomainSocketChannel) {
                io.netty.channel.unix.PeerCredentials c = ((EpollDomainSocketChannel) ch).peerCredentials();
                int[] gids = c.gids();
                return new PeerCreds(c.pid(), c.uid(), gids.length > 0 ? gids[0] : -1, null, null);
            }
            if (ch instanceof NioDomainSocketChannel) {
                UnixDomainPrincipal p = ch.config().getOption(NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED));
                if (p != null) {
                    String user = p.user().getName();
                    String group = p.group().getName();
                    return new PeerCreds(-1, number(user), number(group), user, group);
                }
            }
        } catch (Exception | LinkageError e) {
            return null;
        }
        return null;
    }

    private static int number(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
