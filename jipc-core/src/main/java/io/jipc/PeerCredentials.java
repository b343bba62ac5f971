package io.jipc;

/**
 * Who is on the other end of a Unix socket, as the kernel reports it at connect time
 * ({@code SO_PEERCRED}). Native epoll gives numeric ids and the pid; the JDK's NIO transport gives
 * user and group names only. Unknown numbers are {@code -1}, unknown names {@code null}.
 *
 * @param pid   the peer's process id, or -1
 * @param uid   the peer's user id, or -1
 * @param gid   the peer's primary group id, or -1
 * @param user  the peer's user name, or null
 * @param group the peer's group name, or null
 */
public record PeerCredentials(long pid, int uid, int gid, String user, String group) {
}
