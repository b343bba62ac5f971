package io.jipc.internal.config;

import io.jipc.internal.codec.Framing;
import io.jipc.internal.log.IpcLog;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the internal layers need to know of a validated configuration, in the form they use it.
 *
 * @param delimiter       frame delimiter as UTF-8 bytes
 * @param maxFrameLength  largest inbound frame
 * @param raw             raw byte mode (no framing, no JSON)
 * @param legacy          node-ipc 9–12 payload rules on send
 * @param mapper          JSON mapper
 * @param maxConnections  most simultaneous server connections
 * @param unlink          remove a stale socket file before binding
 * @param readableAll     socket files readable by everyone
 * @param writableAll     socket files writable by everyone
 * @param reusePort       TCP servers bind with SO_REUSEPORT
 * @param retry           when clients reconnect
 * @param sync            one client message in flight at a time
 * @param maxPendingBytes most bytes queued per connection (outbound, and by a client while not connected)
 * @param policy          the parser profile's rules
 * @param framing         custom framing replacing the delimiter, or null
 * @param log             log sink
 */
public record EngineSettings(byte[] delimiter, int maxFrameLength, boolean raw, boolean legacy, JsonMapper mapper,
                             int maxConnections, boolean unlink, boolean readableAll, boolean writableAll,
                             boolean reusePort, RetryPolicy retry, boolean sync, long maxPendingBytes,
                             ProtocolPolicy policy, Framing framing, IpcLog log) {

    /** @return the delimiter bytes of {@code delimiter} in UTF-8 */
    public static byte[] delimiterBytes(String delimiter) {
        return delimiter.getBytes(StandardCharsets.UTF_8);
    }
}
