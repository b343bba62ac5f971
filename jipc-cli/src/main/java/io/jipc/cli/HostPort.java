package io.jipc.cli;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A host and a port as the command line spells them: {@code HOST:PORT}, IPv6 literals in brackets
 * ({@code [::1]:8000}). The host is kept without brackets, as the library takes it.
 */
record HostPort(String host, int port) {

    /**
     * Parses {@code HOST:PORT}.
     * @param flag the option, for messages
     * @throws IllegalArgumentException naming {@code flag} and saying what was expected
     */
    static HostPort parse(String flag, String text) {
        String expected = flag + " expects HOST:PORT (IPv6 as [::1]:8000) but got '" + text + "'";
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(expected);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException(expected + ": brackets are for IPv6 addresses");
            }
        } else if (host.indexOf(':') >= 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            throw new IllegalArgumentException(expected + ": put an IPv6 address in brackets");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException(expected);
        }
        String digits = text.substring(colon + 1);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 5) {
            throw new IllegalArgumentException(expected + ": the port must be a number");
        }
        return new HostPort(host, Integer.parseInt(digits));
    }

    /** {@code host:port}, IPv6 in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** This host with the port actually bound ({@code bound}'s, e.g. for port 0), else unchanged. */
    HostPort boundTo(SocketAddress bound) {
        return bound instanceof InetSocketAddress a ? new HostPort(host, a.getPort()) : this;
    }
}
