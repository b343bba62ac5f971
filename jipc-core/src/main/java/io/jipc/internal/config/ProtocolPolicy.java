package io.jipc.internal.config;

import java.util.Set;

/**
 * What the parser profile asks of every connection.
 *
 * @param closeOnViolation     close a connection after reporting a refused frame
 * @param maxEventNameLength   longest accepted {@code type} in UTF-16 units (0 = no limit)
 * @param refuseReserved       refuse lifecycle and JavaScript prototype names as message types
 * @param allowedEvents        the only types that may be sent or received, or {@code null} for any
 * @param messageTimeoutMillis longest an incomplete frame may wait for its end (0 = forever)
 * @param closeOnBackpressure  close (rather than fail the emit) when the outbound bound is reached
 */
public record ProtocolPolicy(boolean closeOnViolation, int maxEventNameLength, boolean refuseReserved,
                             Set<String> allowedEvents, long messageTimeoutMillis, boolean closeOnBackpressure) {

    /** Lifecycle names and {@code Object.prototype} members a guarded peer may not use as types. */
    public static final Set<String> RESERVED = Set.of("start", "connect", "disconnect", "destroy", "close",
        "socket.disconnected", "error", "data", "__proto__", "constructor", "hasOwnProperty", "isPrototypeOf",
        "propertyIsEnumerable", "toLocaleString", "toString", "valueOf", "__defineGetter__", "__defineSetter__",
        "__lookupGetter__", "__lookupSetter__");

    /** @return whether any per-message check is on */
    public boolean checksMessages() {
        return maxEventNameLength > 0 || refuseReserved || allowedEvents != null;
    }
}
